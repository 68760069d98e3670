"""The upload form, and the upload handler that stops an oversized file while it streams in."""

from django import forms
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.core.forms import StyledFormMixin

from .guard import is_xlsx_package

__all__ = ["UploadForm", "SizeLimitUploadHandler", "max_upload_bytes", "too_large_message"]

MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # default of KECHUANG_UPLOAD_MAX_MB
EXTENSIONS = (".xlsx", ".xlsm")


def max_upload_bytes() -> int:
    return int(getattr(settings, "KECHUANG_UPLOAD_MAX_MB", MAX_UPLOAD_BYTES >> 20)) << 20


def too_large_message() -> str:
    return _("The file is larger than %(mb)s MB.") % {"mb": max_upload_bytes() >> 20}


class SizeLimitUploadHandler(FileUploadHandler):
    """First in the handler chain: stops the upload as soon as the request or one file is over
    the limit, so an oversized file is never kept whole in memory or on disk. The view reads
    ``request.upload_too_large`` to show the message."""

    def __init__(self, request=None, limit: int | None = None):
        super().__init__(request)
        self.limit = limit if limit is not None else max_upload_bytes()
        self.received = 0
        self.request_too_large = False

    def _stop(self):
        if self.request is not None:
            self.request.upload_too_large = True
        raise StopUpload(connection_reset=False)

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # (StopUpload may not be raised here; the first file chunk stops the upload.)
        if content_length and content_length > self.limit + 64 * 1024:  # + the form's fields
            self.request_too_large = True

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.request_too_large or self.received > self.limit:
            self._stop()
        return raw_data

    def file_complete(self, file_size):
        return None


class UploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel workbook (.xlsx)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx)."))
        if f.size > max_upload_bytes():
            raise forms.ValidationError(too_large_message())
        if not is_xlsx_package(f):  # the content, not just the name
            raise forms.ValidationError(
                _("The file is not an Excel workbook (.xlsx), whatever its name says.")
            )
        f.seek(0)
        return f
