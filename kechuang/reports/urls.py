from django.urls import path

from . import template_views, views

app_name = "reports"
urlpatterns = [
    path("", views.report_home, name="report_home"),
    path("<int:pk>/download/", views.report_download, name="report_download"),
    path("templates/", template_views.paragraph_list, name="paragraph_list"),
    path("templates/<slug:key>/", template_views.paragraph_edit, name="paragraph_edit"),
]
