from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.import_list, name="import_list"),
    path("<int:pk>/", views.import_detail, name="import_detail"),
    path("<int:pk>/commit/", views.import_commit, name="import_commit"),
    path("<int:pk>/retry/", views.import_retry, name="import_retry"),
    path("<int:pk>/errors.xlsx", views.import_errors, name="import_errors"),
    path("templates/<str:name>.xlsx", views.template_download, name="template_download"),
]
