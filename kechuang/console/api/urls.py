"""API of the console app, mounted at /api/v1/console/."""

app_name = "console-api"

urlpatterns: list = []
