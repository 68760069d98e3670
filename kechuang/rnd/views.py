"""HTML views (being built)."""

from django.http import HttpResponse


def rd_overview(request):
    return HttpResponse(status=501)
