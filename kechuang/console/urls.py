"""Pages of the console app, mounted at /console/."""

from django.urls import path  # noqa: F401

app_name = "console"

urlpatterns: list = []
