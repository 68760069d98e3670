"""HTML views (being built)."""

from django.http import HttpResponse


def campaign_list(request):
    return HttpResponse(status=501)
