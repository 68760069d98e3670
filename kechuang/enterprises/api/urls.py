"""API routes of the enterprise registry, mounted at /api/v1/enterprises/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import file_views, views

app_name = "enterprises-api"

router = SimpleRouter()
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register("annual-figures", views.AnnualFigureViewSet, basename="annual-figure")
router.register("ip", views.IntellectualPropertyViewSet, basename="ip")
router.register("qualifications", views.QualificationViewSet, basename="qualification")
router.register("figure-submissions", views.FigureSubmissionViewSet, basename="figure-submission")

urlpatterns = [
    path("search/", file_views.SearchView.as_view(), name="search"),
    *router.urls,
]
