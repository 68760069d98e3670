"""API of the workbench app, mounted at /api/v1/workbench/."""

from django.urls import path

from .views import TodoListView

app_name = "workbench-api"

urlpatterns = [path("", TodoListView.as_view(), name="todos")]
