"""The account policy on every request (GB/T 22239-2019 8.1.4.1 b and d).

A session ends after KECHUANG_SESSION_IDLE_MINUTES without a request and KECHUANG_SESSION_MAX_HOURS
after log-in; the user lands on the login page with a notice. A user whose password has expired
is sent to the password change page, and (when KECHUANG_REQUIRE_2FA_FOR_STAFF is on) bureau
staff without a second factor to its set-up page, before anything else.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import session_policy

__all__ = ["AccountPolicyMiddleware"]


def _redirect(request, url: str):
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class AccountPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._check(request)
        return response if response is not None else self.get_response(request)

    def _check(self, request):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is None or session is None or not user.is_authenticated:
            return None
        is_api = request.path.startswith("/api/")
        reason = session_policy.expiry_reason(session)
        if reason:
            logout(request)
            if is_api:
                return None
            query = {"expired": reason}
            if request.method == "GET" and not getattr(request, "htmx", False):
                query["next"] = request.get_full_path()
            return _redirect(request, f"{reverse('accounts:login')}?{urlencode(query)}")
        if is_api or request.path.startswith(("/static/", "/i18n/")):
            return None
        if session.get(session_policy.PASSWORD_EXPIRED):
            target = reverse("accounts:password_change")
        elif session.get(session_policy.OTP_ENROL_REQUIRED):
            target = reverse("accounts:otp_setup")
        else:
            return None
        if request.path in (target, reverse("accounts:logout")):
            return None
        return _redirect(request, target)
