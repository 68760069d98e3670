"""API routes of the cooperation app, mounted at /api/v1/cooperation/."""

from rest_framework.routers import SimpleRouter

from . import views

app_name = "cooperation-api"

router = SimpleRouter()
router.register("demands", views.DemandViewSet, basename="demand")
router.register("achievements", views.AchievementViewSet, basename="achievement")
router.register("brokering", views.BrokeringViewSet, basename="brokering")
router.register("contracts", views.ContractViewSet, basename="contract")
router.register("events", views.EventViewSet, basename="event")
router.register("entrants", views.EntrantViewSet, basename="entrant")

urlpatterns = router.urls
