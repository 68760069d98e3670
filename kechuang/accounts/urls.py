from django.urls import path

from . import list_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/verify/", views.otp_verify, name="otp_verify"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("security/", views.security, name="security"),
    path("password/", views.password_change_view, name="password_change"),
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<int:pk>/revoke/", views.token_revoke_view, name="token_revoke"),
    path("two-factor/", views.otp_setup, name="otp_setup"),
    path("two-factor/remove/", views.otp_remove, name="otp_remove"),
    path("lockouts/", views.lockout_list, name="lockout_list"),
    path("lockouts/release/", views.lockout_release_view, name="lockout_release"),
    path("lists/columns/", list_views.list_columns, name="list_columns"),
    path("lists/views/", list_views.saved_views, name="saved_views"),
    path(
        "lists/views/<int:pk>/rename/",
        list_views.saved_view_rename_view,
        name="saved_view_rename",
    ),
    path(
        "lists/views/<int:pk>/delete/",
        list_views.saved_view_delete_view,
        name="saved_view_delete",
    ),
]
