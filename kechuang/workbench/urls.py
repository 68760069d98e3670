"""Pages of the workbench app, mounted at /workbench/."""

from django.urls import path  # noqa: F401

app_name = "workbench"

urlpatterns: list = []
