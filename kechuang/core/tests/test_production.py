"""The production path: deploy checks clean, no demo, security headers, a served login page.

Each test runs the real commands in a subprocess under config.settings.prod, against a fresh
database (the operator's situation after installing): a SQLite file in a temporary folder, or a
new PostgreSQL database on the test server when the suite runs on PostgreSQL. The migrations are
replayed there and the schema they build is compared with the models (the rest of the suite
creates its databases from the models directly).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]


@contextlib.contextmanager
def _fresh_database():
    """A new, empty database on the engine the suite runs on: None for SQLite (the settings'
    own file under the temporary var folder), else the URL of a new PostgreSQL database that
    is dropped afterwards."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        yield None
        return
    import psycopg

    name = f"kc_prod_{uuid.uuid4().hex[:10]}"
    server = {
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**server) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        auth = db.get("USER") or ""
        if db.get("PASSWORD"):
            auth += f":{db['PASSWORD']}"
        yield f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{name}"
    finally:
        with psycopg.connect(**server) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def prod_env(tmp_path_factory):
    with _fresh_database() as url:
        yield _env(tmp_path_factory, url)


def _env(tmp_path_factory, database_url):
    var = tmp_path_factory.mktemp("prod-var")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "KECHUANG_VAR_DIR": str(var),
        "STATIC_ROOT": str(var / "static"),
        "ALLOWED_HOSTS": "127.0.0.1,kc.example.gov.cn",
        "CSRF_TRUSTED_ORIGINS": "https://kc.example.gov.cn",
        "BEHIND_TLS_PROXY": "1",
    }
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    # Set by the browser tests for their live server; never part of a deployment.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def _manage(env, *args, check=True):
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,  # replaying every migration takes minutes on a loaded machine
    )
    if check:
        assert result.returncode == 0, (
            f"manage.py {' '.join(args)}:\n{result.stdout}{result.stderr}"
        )
    return result


def test_check_deploy_is_clean_once_installed(prod_env):
    before = _manage(prod_env, "check", "--deploy", check=False)
    assert "kechuang.E001" in before.stdout + before.stderr  # static files not collected yet
    _manage(prod_env, "migrate", "--noinput")
    probe = subprocess.run(
        [sys.executable, "-m", "kechuang.core.tests.schema_probe"],
        env=prod_env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    schema = json.loads(probe.stdout.strip().splitlines()[-1])
    assert schema["tables"] > 100
    assert schema["differences"] == []
    _manage(prod_env, "collectstatic", "--noinput", "-v0")
    after = _manage(prod_env, "check", "--deploy", "--fail-level", "WARNING")
    assert "System check identified no issues" in after.stdout


def test_demo_command_does_not_exist_in_production(prod_env):
    result = _manage(prod_env, "demo", "--no-serve", check=False)
    assert result.returncode != 0
    assert "Unknown command: 'demo'" in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_under_production_settings(prod_env, tmp_path):
    _manage(prod_env, "migrate", "--noinput")
    port = _free_port()
    log = tmp_path / "access.log"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kechuang.cli",
            "serve",
            "--addr",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--no-worker",
            "--access-log",
            str(log),
        ],
        env=prod_env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        https = {"X-Forwarded-Proto": "https"}
        # Start-up collects the static files first; on a loaded machine that takes a while.
        deadline = time.monotonic() + 240
        while True:
            try:
                httpx.get(base + "/accounts/login/", timeout=5)
                break
            except httpx.HTTPError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(proc.pid, 15)
                    output = proc.communicate(timeout=20)[0].decode(errors="replace")
                    pytest.fail(f"kechuang serve did not answer:\n{output[-3000:]}")
                time.sleep(0.5)
        # Plain HTTP is redirected to HTTPS.
        plain = httpx.get(base + "/accounts/login/")
        assert plain.status_code == 301 and plain.headers["location"].startswith("https://")
        page = httpx.get(base + "/accounts/login/", headers=https)
        assert page.status_code == 200
        assert "max-age=31536000" in page.headers["strict-transport-security"]
        csp = page.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("style-src-attr")[0]
        assert "camera=()" in page.headers["permissions-policy"]
        assert page.headers["x-frame-options"] == "DENY"
        # The login page links hashed static files, and they are served.
        css = [p for p in page.text.split('"') if p.startswith("/static/") and p.endswith(".css")]
        assert css and all(httpx.get(base + p, headers=https).status_code == 200 for p in css)
        # The demo does not exist: no demo login works.
        assert "kechuang-demo" not in page.text
        time.sleep(0.5)
        assert "/accounts/login/" in log.read_text()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 15)
        proc.wait(timeout=20)
