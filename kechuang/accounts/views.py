"""Log in and out."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm

from kechuang.core.forms import StyledFormMixin


class LoginForm(StyledFormMixin, AuthenticationForm):
    pass


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass
