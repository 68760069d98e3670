"""URLs of the enterprise portal and the submissions' review (docs/portal.md), mounted by
urls.py under /enterprises/."""

from django.urls import path

from . import portal_views as views

urlpatterns = [
    path("portal/", views.portal_home, name="portal_home"),
    path("portal/<int:year>/", views.portal_fill, name="portal_fill"),
    path("portal/<int:year>/documents/", views.attachment_upload, name="attachment_upload"),
    path("portal/colleagues/", views.colleagues, name="portal_colleagues"),
    path(
        "portal/colleagues/<int:user_id>/deactivate/",
        views.colleague_deactivate,
        name="colleague_deactivate",
    ),
    path(
        "portal/invitations/<int:pk>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("portal/join/<str:key>/", views.invitation_accept, name="invitation_accept"),
    path("submissions/", views.submission_list, name="submission_list"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/review/", views.submission_review, name="submission_review"),
    path("submissions/documents/<int:pk>/", views.attachment_download, name="attachment_download"),
    path(
        "submissions/documents/<int:pk>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
]
