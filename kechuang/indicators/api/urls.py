"""API routes of the indicator system, mounted at /api/v1/indicators/."""

from rest_framework.routers import SimpleRouter

from . import views

app_name = "indicators-api"

router = SimpleRouter()
router.register("catalogue", views.IndicatorViewSet, basename="indicator")
router.register("sets", views.IndicatorSetViewSet, basename="set")
router.register("values", views.IndicatorValueViewSet, basename="value")
router.register("targets", views.TargetViewSet, basename="target")
router.register("rankings", views.RankingViewSet, basename="ranking")
router.register("runs", views.IndexRunViewSet, basename="run")

urlpatterns = router.urls
