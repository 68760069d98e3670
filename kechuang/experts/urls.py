"""Pages of the expert pool, mounted at /experts/."""

from django.urls import path

from . import views

app_name = "experts"

urlpatterns = [
    path("", views.expert_list, name="expert_list"),
    path("me/", views.expert_me, name="expert_me"),
    path("new/", views.expert_edit, name="expert_create"),
    path("<int:pk>/", views.expert_detail, name="expert_detail"),
    path("<int:pk>/edit/", views.expert_edit, name="expert_edit"),
    path("<int:pk>/relationships/", views.relationship_add, name="relationship_add"),
    path(
        "<int:pk>/relationships/<int:rel>/delete/",
        views.relationship_delete,
        name="relationship_delete",
    ),
    path("conflicts/", views.conflict_check, name="conflict_check"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_edit, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
]
