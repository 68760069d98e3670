"""Reads of a web request on a streaming replica, when DATABASE_REPLICA_URL names one.

docs/deployment.md#read-replica: the settings install `ReplicaRouter` and, first in the
middleware, `ReplicaReadsMiddleware` only when a replica is configured. Then:

* a GET/HEAD/OPTIONS request reads from the replica ("replica" alias) until it writes;
* writes always go to the primary ("default"); after the first write, and inside
  `transaction.atomic`, the rest of the request reads from the primary too;
* a request that wrote (or was a POST/PUT/PATCH/DELETE) pins its client to the primary for
  KECHUANG_REPLICA_PIN_SECONDS through a cookie, so the page after a form sees the change
  although the replica may lag by a moment;
* sessions, the cache table, lockout records and background tasks always use the primary
  (their writes are bookkeeping, not the reader's data, and must be read back at once);
* outside a request (management commands, background workers, the shell) everything uses the
  primary: batch work reads what it has just written.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections

__all__ = [
    "PIN_COOKIE",
    "PRIMARY",
    "PRIMARY_ONLY_APPS",
    "REPLICA",
    "ReplicaReadsMiddleware",
    "ReplicaRouter",
    "reading_replica",
]

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "kc_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Django's database cache registers its table under this app label.
PRIMARY_ONLY_APPS = frozenset(
    {"sessions", "django_cache", "axes", "django_tasks_db", "otp_totp", "contenttypes"}
)

# Per request: {"primary": reads go to the primary, "wrote": the request wrote data}.
_STATE: ContextVar[dict | None] = ContextVar("kechuang_replica_state", default=None)


def reading_replica() -> bool:
    """True while reads of the current request go to the replica."""
    state = _STATE.get()
    return bool(state is not None and not state["primary"])


class ReplicaRouter:
    """Database router: reads of a read-only request on the replica, everything else on the
    primary. Migrations run on the primary only (the replica follows by streaming)."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return PRIMARY
        state = _STATE.get()
        if state is None or state["primary"] or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: Any, **hints: Any) -> str:
        state = _STATE.get()
        if state is not None and model._meta.app_label not in PRIMARY_ONLY_APPS:
            state["primary"] = True
            state["wrote"] = True
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # both aliases hold the same data

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints):
        return db == PRIMARY


class ReplicaReadsMiddleware:
    """Marks the request for `ReplicaRouter` and sets the pin cookie after a write."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        replica = request.method in SAFE_METHODS and PIN_COOKIE not in request.COOKIES
        state = {"primary": not replica, "wrote": False}
        token = _STATE.set(state)
        try:
            response = self.get_response(request)
        finally:
            _STATE.reset(token)
        if state["wrote"] or request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=int(getattr(settings, "KECHUANG_REPLICA_PIN_SECONDS", 5)),
                httponly=True,
                samesite="Lax",
                secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
            )
        return response
