"""Pages of the console app, mounted at /console/."""

from django.urls import path

from . import views

app_name = "console"

urlpatterns = [
    path("", views.home, name="home"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", views.user_active, name="user_active"),
    path("users/<int:pk>/password/", views.user_password_reset, name="user_password_reset"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user_unlock"),
    path("regions/", views.regions, name="regions"),
    path("regions/towns/new/", views.town_edit, name="town_create"),
    path("regions/towns/<int:pk>/", views.town_edit, name="town_edit"),
    path("regions/peers/new/", views.region_edit, name="region_create"),
    path("regions/peers/<int:pk>/", views.region_edit, name="region_edit"),
    path("parameters/", views.parameters, name="parameters"),
    path("parameters/rules/<int:pk>/", views.ruleset_parameters, name="ruleset_parameters"),
    path("parameters/schemes/<int:pk>/", views.scheme_parameters, name="scheme_parameters"),
]
