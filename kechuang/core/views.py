"""Small helpers shared by HTML views."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required as django_login_required
from django.http import HttpResponse

__all__ = ["login_required", "xlsx_response"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
login_required = django_login_required


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An xlsx download (UTF-8 file name per RFC 6266)."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
