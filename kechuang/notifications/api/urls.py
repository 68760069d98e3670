"""API of the notifications app, mounted at /api/v1/notifications/."""

app_name = "notifications-api"

urlpatterns: list = []
