"""Pages of the notifications app, mounted at /notifications/."""

from django.urls import path  # noqa: F401

app_name = "notifications"

urlpatterns: list = []
