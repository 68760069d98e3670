"""PostgreSQL connections start with JIT compilation off (docs/deployment.md#postgresql)."""

from __future__ import annotations

import pytest
from django.db import connection

from config.settings.base import _postgres_options


def test_postgres_settings_turn_jit_off_unless_asked_and_leave_sqlite_alone(monkeypatch):
    postgres = {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"sslmode": "require"}}
    _postgres_options(postgres)
    assert postgres["OPTIONS"] == {"sslmode": "require", "options": "-c jit=off"}
    sqlite = {"ENGINE": "django.db.backends.sqlite3"}
    _postgres_options(sqlite)
    assert "OPTIONS" not in sqlite
    monkeypatch.setenv("DB_JIT", "on")
    kept = {"ENGINE": "django.db.backends.postgresql"}
    _postgres_options(kept)
    assert "OPTIONS" not in kept


@pytest.mark.django_db
def test_the_connection_runs_without_jit_on_postgres():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"
        else:  # SQLite has no JIT: the settings left its options as they were
            assert "options" not in connection.settings_dict.get("OPTIONS", {})
