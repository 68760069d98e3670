from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.leadership, name="leadership"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("sets/<slug:code>/", views.set_detail, name="set_detail"),
    path("values/import/", views.values_import, name="values_import"),
    path("values/export/", views.values_export, name="values_export"),
]
