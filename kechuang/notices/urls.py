"""Pages of public notices, mounted at /notices/ (the first three need no sign-in)."""

from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("", views.notice_list, name="notice_list"),
    path("<int:pk>/", views.notice_detail, name="notice_detail"),
    path("receipt/", views.objection_receipt, name="objection_receipt"),
    path("manage/", views.notice_manage, name="notice_manage"),
    path("manage/<int:pk>/<slug:action>/", views.notice_action, name="notice_action"),
    path("objections/", views.objection_list, name="objection_list"),
    path("objections/<int:pk>/", views.objection_detail, name="objection_detail"),
    path("objections/<int:pk>/evidence/", views.objection_evidence, name="objection_evidence"),
]
