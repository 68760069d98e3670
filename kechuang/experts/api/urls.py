"""API routes of the expert pool, mounted at /api/v1/experts/."""

from rest_framework.routers import SimpleRouter

from . import views

app_name = "experts-api"

router = SimpleRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("experts", views.ExpertViewSet, basename="expert")
router.register("relationships", views.RelationshipViewSet, basename="relationship")

urlpatterns = router.urls
