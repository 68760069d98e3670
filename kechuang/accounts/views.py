"""Log in (with the optional second factor), log out, and the account security pages:
password change, API tokens, two-factor set-up, and the bureau admin's lockout list."""

from __future__ import annotations

import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from kechuang.core.access import can, requires

from . import session_policy
from .forms import LoginForm, OtpTokenForm, PasswordChangeStyledForm, TokenCreateForm
from .lockout import locked_accounts
from .models import ApiToken
from .selectors import confirmed_device, security_summary, user_tokens
from .services import (
    lockout_release,
    otp_device_confirm,
    otp_device_pending,
    otp_device_remove,
    password_change,
    password_changed_at,
    token_create,
    token_revoke,
)

# A password that was right is remembered this long while the second factor is asked for.
OTP_PENDING_SECONDS = 300


def _expired_notice(reason: str | None) -> str:
    if reason == "idle":
        return _(
            "You were logged out after %(minutes)d minutes without activity. Please log in again."
        ) % {"minutes": settings.KECHUANG_SESSION_IDLE_MINUTES}
    if reason == "max":
        return _(
            "Your session reached its maximum length of %(hours)d hours. Please log in again."
        ) % {"hours": settings.KECHUANG_SESSION_MAX_HOURS}
    return ""


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["expired_notice"] = _expired_notice(self.request.GET.get("expired"))
        return context

    def form_valid(self, form):
        user = form.get_user()
        if confirmed_device(user) is not None:
            self.request.session[session_policy.OTP_PENDING] = {
                "user": user.pk,
                "backend": user.backend,
                "at": time.time(),
                "next": self.get_redirect_url(),
            }
            return redirect("accounts:otp_verify")
        return super().form_valid(form)


class LogoutView(auth_views.LogoutView):
    pass


def otp_verify(request):
    """Second step of the log-in for users with a confirmed authenticator app."""
    pending = request.session.get(session_policy.OTP_PENDING)
    if not pending or time.time() - pending.get("at", 0) > OTP_PENDING_SECONDS:
        request.session.pop(session_policy.OTP_PENDING, None)
        messages.info(request, _("Please log in again."))
        return redirect("accounts:login")
    user = get_object_or_404(get_user_model(), pk=pending["user"], is_active=True)
    device = confirmed_device(user)
    if device is None:
        request.session.pop(session_policy.OTP_PENDING, None)
        return redirect("accounts:login")
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _info = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", _("Too many wrong codes. Wait a moment and try again."))
        elif device.verify_token(form.cleaned_data["token"]):
            request.session.pop(session_policy.OTP_PENDING, None)
            login(request, user, backend=pending["backend"])
            otp_login(request, device)
            return redirect(pending.get("next") or settings.LOGIN_REDIRECT_URL)
        else:
            form.add_error("token", _("The code is wrong or has expired."))
    return render(request, "accounts/otp_verify.html", {"form": form})


# ------------------------------------------------------------------ own account


@requires("account.self")
def security(request):
    """The user's own account security: password age, second factor, tokens, recent events."""
    user = request.user
    changed_at = password_changed_at(user)
    context = {
        "password_changed_at": changed_at,
        "max_age_days": settings.KECHUANG_PASSWORD_MAX_AGE_DAYS,
        "otp_allowed": can(user, "account.two_factor"),
        "is_admin": can(user, "accounts.lockouts"),
        **security_summary(user),
    }
    return render(request, "accounts/security.html", context)


@requires("account.self")
def password_change_view(request):
    form = PasswordChangeStyledForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_change(
            user=request.user, new_password=form.cleaned_data["new_password1"], request=request
        )
        update_session_auth_hash(request, request.user)
        request.session[session_policy.PASSWORD_EXPIRED] = False
        messages.success(request, _("Your password has been changed."))
        return redirect("accounts:security")
    expired = bool(request.session.get(session_policy.PASSWORD_EXPIRED))
    return render(request, "accounts/password_change.html", {"form": form, "expired": expired})


@requires("account.self")
def token_list(request):
    """The user's API tokens; a new token's key is shown in this response only."""
    form = TokenCreateForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = token_create(
            user=request.user,
            name=form.cleaned_data["name"],
            days=form.cleaned_data["days"],
            request=request,
        )
        form = TokenCreateForm()
    tokens = user_tokens(request.user)
    response = render(
        request, "accounts/token_list.html", {"form": form, "tokens": tokens, "new_key": new_key}
    )
    response["Cache-Control"] = "no-store"
    return response


@requires("account.self")
@require_POST
def token_revoke_view(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token_revoke(token=token, actor=request.user, request=request)
    messages.success(request, _("The token has been revoked."))
    return redirect("accounts:token_list")


# ------------------------------------------------------------------ second factor


@requires("account.two_factor")
def otp_setup(request):
    """Set up an authenticator app: scan the QR code, confirm with a code."""
    user = request.user
    if confirmed_device(user) is not None:
        return render(request, "accounts/otp_setup.html", {"enabled": True})
    device = otp_device_pending(user=user, name=_("Authenticator app"))
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            otp_device_confirm(device=device, request=request)
            otp_login(request, device)
            request.session[session_policy.OTP_ENROL_REQUIRED] = False
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("accounts:security")
        form.add_error("token", _("The code is wrong or has expired."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4)
    secret = _base32(device.bin_key)
    context = {
        "enabled": False,
        "form": form,
        "qr_svg": qr_svg,
        "secret": secret,
        "required": bool(request.session.get(session_policy.OTP_ENROL_REQUIRED)),
    }
    response = render(request, "accounts/otp_setup.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _base32(key: bytes) -> str:
    from base64 import b32encode

    text = b32encode(key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@requires("account.two_factor")
@require_POST
def otp_remove(request):
    if settings.KECHUANG_REQUIRE_2FA_FOR_STAFF:
        messages.error(request, _("Two-factor authentication is required for bureau staff."))
        return redirect("accounts:security")
    otp_device_remove(user=request.user, actor=request.user, request=request)
    messages.success(request, _("Two-factor authentication is off."))
    return redirect("accounts:security")


# ------------------------------------------------------------------ lockouts (bureau admin)


@requires("accounts.lockouts")
def lockout_list(request):
    context = {
        "locks": locked_accounts(),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "username_limit": settings.KECHUANG_LOCKOUT_USERNAME_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "accounts/lockout_list.html", context)


@requires("accounts.lockouts")
@require_POST
def lockout_release_view(request):
    username = request.POST.get("username", "").strip()[:150]
    if not username:
        messages.error(request, _("Choose an account to release."))
    else:
        lockout_release(actor=request.user, username=username, request=request)
        messages.success(
            request, _("The lock on %(username)s has been released.") % {"username": username}
        )
    return redirect("accounts:lockout_list")
