"""At log-in, note in the session what the account policy must check on later requests.

Kept in the session so the checks cost no query per request.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from kechuang.core.permissions import user_role
from kechuang.core.roles import STAFF_ROLES

from . import session_policy
from .services import password_expired


@receiver(user_logged_in, dispatch_uid="kechuang_accounts_logged_in")
def on_logged_in(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is None:
        return
    session_policy.session_start(session)
    session[session_policy.PASSWORD_EXPIRED] = password_expired(user)
    enrol = False
    if (
        getattr(settings, "KECHUANG_REQUIRE_2FA_FOR_STAFF", False)
        and user_role(user) in STAFF_ROLES
    ):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        enrol = not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    session[session_policy.OTP_ENROL_REQUIRED] = enrol
