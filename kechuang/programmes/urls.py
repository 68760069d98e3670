from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("", views.home, name="home"),
    # Public (no sign-in): the call list and each call's page.
    path("calls/", views.call_list, name="call_list"),
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("calls/new/", views.call_new, name="call_new"),
    path("types/", views.type_list, name="type_list"),
    path("types/new/", views.type_new, name="type_new"),
    path("types/<int:pk>/edit/", views.type_edit, name="type_edit"),
    path("calls/<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("calls/<int:pk>/apply/", views.application_new, name="application_new"),
    path("calls/<int:pk>/review/", views.call_review, name="call_review"),
    path("applications/", views.application_list, name="application_list"),
    path("partners/", views.partner_search, name="partner_search"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/pdf/", views.application_pdf, name="application_pdf"),
    path(
        "applications/<int:pk>/<slug:action>/",
        views.application_action,
        name="application_action",
    ),
    path("review/", views.review_list, name="review_list"),
    path("review/<int:pk>/", views.assignment_detail, name="assignment_detail"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/contract/", views.contract_pdf, name="contract_pdf"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("due/", views.due_reports, name="due_reports"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("investments/", views.investments, name="investments"),
    path("notifications/", views.notifications, name="notifications"),
]
