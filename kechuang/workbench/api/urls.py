"""API of the workbench app, mounted at /api/v1/workbench/."""

app_name = "workbench-api"

urlpatterns: list = []
