from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_home, name="report_home"),
    path("<int:pk>/download/", views.report_download, name="report_download"),
]
