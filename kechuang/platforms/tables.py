import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import RDInstitution


class RDInstitutionTable(tables.Table):
    enterprise = tables.Column(
        verbose_name=_("Enterprise"), linkify=lambda record: record.enterprise.get_absolute_url()
    )
    town = tables.Column(verbose_name=_("Town/street"), accessor="enterprise__town__name")

    class Meta:
        model = RDInstitution
        fields = ("name", "level", "year_recognised", "status", "enterprise", "town")
        attrs = {
            "class": "table table-vcenter card-table table-sm",
            "data-testid": "institution-table",
        }
        per_page = 25
