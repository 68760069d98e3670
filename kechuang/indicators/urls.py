from django.urls import path

from . import views, views_index, views_tree

app_name = "indicators"
urlpatterns = [
    path("", views.leadership, name="leadership"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("sets/<slug:code>/", views.set_detail, name="set_detail"),
    path("sets/<slug:code>/methodology/", views_index.set_methodology_page, name="set_methodology"),
    path("sets/<slug:code>/tree/", views_tree.set_tree_page, name="set_tree"),
    path("sets/<slug:code>/results/", views_index.set_results, name="set_results"),
    path(
        "sets/<slug:code>/results/export/",
        views_index.set_results_export,
        name="set_results_export",
    ),
    path("values/import/", views.values_import, name="values_import"),
    path("values/export/", views.values_export, name="values_export"),
]
