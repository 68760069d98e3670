"""API routes of R&D institutions, mounted at /api/v1/platforms/."""

from rest_framework.routers import SimpleRouter

from . import views

app_name = "platforms-api"

router = SimpleRouter()
router.register("institutions", views.RDInstitutionViewSet, basename="institution")
router.register("platforms", views.PlatformViewSet, basename="platform")

urlpatterns = router.urls
