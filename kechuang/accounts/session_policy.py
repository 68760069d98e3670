"""Session keys and clocks of the account policy (idle timeout, absolute lifetime)."""

from __future__ import annotations

import time

from django.conf import settings

AUTH_AT = "kc_auth_at"
SEEN_AT = "kc_seen_at"
PASSWORD_EXPIRED = "kc_password_expired"
OTP_ENROL_REQUIRED = "kc_otp_enrol_required"
OTP_PENDING = "kc_otp_pending"

# The last-seen time is saved at most this often (seconds), so a page with many htmx
# requests does not write the session each time.
SEEN_RESOLUTION = 30


def now() -> float:
    return time.time()


def session_start(session) -> None:
    t = now()
    session[AUTH_AT] = t
    session[SEEN_AT] = t


def expiry_reason(session) -> str | None:
    """ "idle" or "max" if the session has run out, else None (and the last-seen time updated)."""
    t = now()
    auth_at = session.get(AUTH_AT)
    seen_at = session.get(SEEN_AT)
    if auth_at is None or seen_at is None:
        session_start(session)
        return None
    max_hours = int(getattr(settings, "KECHUANG_SESSION_MAX_HOURS", 12) or 0)
    idle_minutes = int(getattr(settings, "KECHUANG_SESSION_IDLE_MINUTES", 30) or 0)
    if max_hours and t - auth_at > max_hours * 3600:
        return "max"
    if idle_minutes and t - seen_at > idle_minutes * 60:
        return "idle"
    if t - seen_at >= SEEN_RESOLUTION:
        session[SEEN_AT] = t
    return None
