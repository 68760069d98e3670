"""Pages of the notifications app, mounted at /notifications/."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="notification_list"),
    path("read/", views.mark_read, name="mark_read"),
    path("settings/", views.notification_settings, name="notification_settings"),
    path("rules/", views.rule_list, name="rule_list"),
]
