"""HTML views (being built)."""

from django.http import HttpResponse


def report_home(request):
    return HttpResponse(status=501)
