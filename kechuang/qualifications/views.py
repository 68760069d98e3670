"""HTML views of the qualification engine (ladder, reserve pool, risks, assessments)."""

from django.http import HttpResponse


def ladder(request):
    return HttpResponse(status=501)


def reserve_pool(request):
    return HttpResponse(status=501)


def risk_list(request):
    return HttpResponse(status=501)
