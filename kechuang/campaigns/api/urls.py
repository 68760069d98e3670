"""API routes of campaigns and visits, mounted at /api/v1/campaigns/."""

from rest_framework.routers import SimpleRouter

from . import views

app_name = "campaigns-api"

router = SimpleRouter()
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("tasks", views.VisitTaskViewSet, basename="task")
router.register("visit-records", views.VisitRecordViewSet, basename="visit-record")

urlpatterns = router.urls
