from django.urls import path

from . import file_views, views
from .portal_urls import urlpatterns as portal_urlpatterns

app_name = "enterprises"
urlpatterns = [
    path("", views.enterprise_list, name="enterprise_list"),
    path("<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    # The enterprise file (docs/enterprise-file.md): print, contacts, tags, global search.
    path("<int:pk>/print/", file_views.enterprise_print, name="enterprise_print"),
    path("<int:pk>/contacts/add/", file_views.contact_add, name="contact_add"),
    path("<int:pk>/contacts/<int:contact_pk>/", file_views.contact_edit, name="contact_edit"),
    path(
        "<int:pk>/contacts/<int:contact_pk>/remove/",
        file_views.contact_remove,
        name="contact_remove",
    ),
    path("<int:pk>/tags/", file_views.tag_change, name="tag_change"),
    path("tags/bulk/", file_views.tags_bulk, name="tags_bulk"),
    path("search/", file_views.search, name="search"),
    path("<int:pk>/figures/<int:year>/", views.annual_figure_edit, name="annual_figure_edit"),
    path("qualifications/", views.qualification_list, name="qualification_list"),
    # The enterprise portal and the submissions' review (docs/portal.md).
    *portal_urlpatterns,
]
