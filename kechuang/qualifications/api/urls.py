"""API routes of the qualification engine, mounted at /api/v1/qualifications/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

app_name = "qualifications-api"

router = SimpleRouter()
router.register("results", views.AssessmentResultViewSet, basename="result")

urlpatterns = [path("evaluate/", views.evaluate, name="evaluate"), *router.urls]
