"""HTML views of enterprise R&D institutions."""

from django.core.exceptions import PermissionDenied

from kechuang.core.lists import list_page
from kechuang.core.permissions import user_role
from kechuang.core.roles import Role
from kechuang.core.views import login_required
from kechuang.imports.schemas import SCHEMAS

from .filters import RDInstitutionFilterSet
from .models import RDInstitution
from .tables import RDInstitutionTable


@login_required
def institution_list(request):
    if user_role(request.user) not in {Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.TOWN_OFFICER}:
        raise PermissionDenied
    queryset = RDInstitution.objects.for_user(request.user).select_related(
        "enterprise", "enterprise__town"
    )
    return list_page(
        request,
        queryset=queryset,
        filterset_class=RDInstitutionFilterSet,
        table_class=RDInstitutionTable,
        template="platforms/institution_list.html",
        export_schema=SCHEMAS["institutions"],
    )
