"""Input parsing of the indicator pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.core.forms import StyledFormMixin


class ValuesImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Only check, write nothing"), required=False, initial=True)
