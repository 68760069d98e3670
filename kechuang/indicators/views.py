"""HTML views (being built)."""

from django.http import HttpResponse


def leadership(request):
    return HttpResponse(status=501)
