"""API routes of R&D investment, mounted at /api/v1/rnd/."""

from django.urls import path

from . import views

app_name = "rnd-api"
urlpatterns = [
    path("aggregates/", views.RdAggregatesView.as_view(), name="aggregates"),
    path("zero/", views.ZeroRdView.as_view(), name="zero"),
    path("diagnosis/<int:pk>/", views.DiagnosisView.as_view(), name="diagnosis"),
]
