"""API routes of notices and objections, mounted at /api/v1/notices/."""

from rest_framework.routers import SimpleRouter

from . import views

app_name = "notices-api"

router = SimpleRouter()
router.register("notices", views.NoticeViewSet, basename="notice")
router.register("objections", views.ObjectionViewSet, basename="objection")

urlpatterns = router.urls
