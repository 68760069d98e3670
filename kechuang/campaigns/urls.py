from django.urls import path

from . import bulk_views, views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("from-filter/", views.campaign_create_from_filter, name="campaign_create_from_filter"),
    path("<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:pk>/attendance/", views.campaign_attendance, name="campaign_attendance"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/assign/", bulk_views.tasks_assign, name="tasks_assign"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/visit/", views.task_visit, name="task_visit"),
    path("tasks/<int:pk>/transition/", views.task_transition, name="task_transition"),
    path("tasks/<int:pk>/reassign/", views.task_reassign, name="task_reassign"),
    path("tasks/<int:pk>/contact/", views.task_contact, name="task_contact"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("coverage/", views.coverage, name="coverage"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("agencies/<int:pk>/packages/", views.package_create, name="package_create"),
    path("delegations/", views.delegation_list, name="delegation_list"),
    path("delegations/<int:pk>/end/", views.delegation_end, name="delegation_end"),
    path("submissions/", views.submission_list, name="submission_list"),
    path(
        "submissions/new/<int:enterprise_pk>/",
        views.submission_create,
        name="submission_create",
    ),
    path(
        "submissions/<int:pk>/<str:decision>/",
        views.submission_decide,
        name="submission_decide",
    ),
]
