from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.core.forms import StyledFormMixin

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class UploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Excel workbook (.xlsx)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods")):
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx)."))
        if f.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return f
