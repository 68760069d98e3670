from rest_framework.routers import SimpleRouter

from . import views

app_name = "programmes-api"

router = SimpleRouter()
router.register("types", views.ProgrammeTypeViewSet, basename="programme-type")
router.register("calls", views.CallViewSet, basename="call")
router.register("applications", views.ApplicationViewSet, basename="application")
router.register("assignments", views.AssignmentViewSet, basename="assignment")
router.register("conflicts", views.ConflictViewSet, basename="conflict")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("tranches", views.TrancheViewSet, basename="tranche")
router.register("investments", views.InvestmentViewSet, basename="investment")
router.register("reports", views.ReportViewSet, basename="report")
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = router.urls
