"""Pages of the workbench app, mounted at /workbench/."""

from django.urls import path

from . import views

app_name = "workbench"

urlpatterns = [path("", views.home, name="home")]
