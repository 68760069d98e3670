"""Pages of innovation platforms, mounted at /platforms/ (R&D institutions stay at /institutions/)."""

from django.urls import path

from . import platform_views as views

app_name = "platform_pages"
urlpatterns = [
    path("", views.platform_list, name="platform_list"),
    path("new/", views.platform_edit, name="platform_create"),
    path("<int:pk>/", views.platform_detail, name="platform_detail"),
    path("<int:pk>/edit/", views.platform_edit, name="platform_edit"),
    path("<int:pk>/events/new/", views.event_create, name="event_create"),
    path("<int:pk>/links/new/", views.link_create, name="link_create"),
    path("<int:pk>/milestones/new/", views.milestone_create, name="milestone_create"),
    path("<int:pk>/evaluation/<int:year>/", views.evaluation_compute, name="evaluation_compute"),
    path("milestones/", views.milestone_list, name="milestone_list"),
    path("candidates/", views.candidate_list, name="candidate_list"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path(
        "rounds/<int:round_pk>/report/<int:platform_pk>/",
        views.report_edit,
        name="report_edit",
    ),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("evaluations/", views.evaluation_list, name="evaluation_list"),
    path("enclaves/returns/", views.three_returns_list, name="three_returns_list"),
    path("enclaves/returns/new/", views.three_returns_create, name="three_returns_create"),
]
