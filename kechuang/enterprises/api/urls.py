"""API routes of the enterprise registry, mounted at /api/v1/enterprises/."""

from rest_framework.routers import SimpleRouter

from . import views

app_name = "enterprises-api"

router = SimpleRouter()
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register("annual-figures", views.AnnualFigureViewSet, basename="annual-figure")
router.register("ip", views.IntellectualPropertyViewSet, basename="ip")
router.register("qualifications", views.QualificationViewSet, basename="qualification")
router.register("figure-submissions", views.FigureSubmissionViewSet, basename="figure-submission")

urlpatterns = router.urls
