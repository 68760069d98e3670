from django.urls import path

from . import views

app_name = "qualifications"
urlpatterns = [
    path("ladder/", views.ladder, name="ladder"),
    path("reserve/", views.reserve_pool, name="reserve_pool"),
    path("results/", views.assessment_results, name="assessment_results"),
    path("risks/", views.risk_list, name="risk_list"),
    path("enterprise/<int:pk>/", views.enterprise_assessment, name="enterprise_assessment"),
    path("enterprise/<int:pk>/whatif/", views.enterprise_whatif, name="enterprise_whatif"),
    path("assess/", views.assessment_rerun, name="assessment_rerun"),
    path("rules/", views.ruleset_list, name="ruleset_list"),
    path("rules/<int:pk>/", views.ruleset_detail, name="ruleset_detail"),
]
