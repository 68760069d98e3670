"""The squashed migrations: each app's squash builds the same schema as the migrations it
replaces, and a database installed before the squash upgrades through the original migrations
it still lacks, after which the squash counts as applied.

The fresh-install path (the squashes replayed on an empty database and the schema compared with
the models) is covered by test_production; these tests read the migration graph only, against
a real migration record in a throwaway SQLite database.
"""

from __future__ import annotations

import pytest
from django.db import connections
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

# Installations from before the squash, as far as they had got (nodes of the original graph).
PARTLY_INSTALLED = [
    [
        ("enterprises", "0008_portal_review_attachments_colleagues"),
        ("platforms", "0002_source_choices"),
    ],
    [("accounts", "0001_initial"), ("enterprises", "0001_initial")],
]


@pytest.fixture(autouse=True)
def real_migrations(settings):
    """The apps' own migration modules: the suite's databases are built from the models, so
    its settings otherwise hide them from the loader."""
    settings.MIGRATION_MODULES = {}


def _squashes(loader: MigrationLoader) -> dict[tuple[str, str], list[tuple[str, str]]]:
    return {
        key: list(migration.replaces)
        for key, migration in loader.disk_migrations.items()
        if migration.replaces and key[0] not in {"admin", "auth", "contenttypes", "sessions"}
    }


def test_every_app_with_a_long_history_is_squashed():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    squashed_apps = {app for app, _ in _squashes(loader)}
    assert {"enterprises", "platforms", "cooperation", "programmes", "campaigns"} <= squashed_apps


def test_each_squash_replaces_its_apps_first_migrations_in_order():
    loader = MigrationLoader(None, replace_migrations=False, ignore_no_migrations=True)
    for (app, name), replaced in _squashes(loader).items():
        originals = sorted(
            key for key, m in loader.disk_migrations.items() if key[0] == app and not m.replaces
        )
        assert replaced == originals[: len(replaced)], (app, name)
        assert all(other == app for other, _ in replaced), (app, name)


def test_squashes_build_the_schema_of_the_original_chain():
    original = MigrationLoader(None, replace_migrations=False, ignore_no_migrations=True)
    squashed = MigrationLoader(None, replace_migrations=True, ignore_no_migrations=True)
    changes = MigrationAutodetector(original.project_state(), squashed.project_state()).changes(
        graph=squashed.graph
    )
    assert changes == {}


@pytest.fixture
def record(django_db_blocker, monkeypatch):
    """A migration record in a throwaway SQLite database, as an installed site keeps it."""
    alias = "migration_record"
    monkeypatch.setitem(connections.settings, alias, {**_SQLITE, "NAME": ":memory:"})
    with django_db_blocker.unblock():
        connection = connections[alias]
        MigrationRecorder(connection).ensure_schema()
        yield connection
        connection.close()
    del connections[alias]


_SQLITE = {
    "ENGINE": "django.db.backends.sqlite3",
    "ATOMIC_REQUESTS": False,
    "AUTOCOMMIT": True,
    "CONN_MAX_AGE": 0,
    "CONN_HEALTH_CHECKS": False,
    "OPTIONS": {},
    "TIME_ZONE": None,
    "USER": "",
    "PASSWORD": "",
    "HOST": "",
    "PORT": "",
    "TEST": {},
}


@pytest.mark.parametrize("installed_to", PARTLY_INSTALLED, ids=["midway", "first-only"])
def test_a_partly_installed_database_upgrades_through_the_originals(record, installed_to):
    original = MigrationLoader(None, replace_migrations=False, ignore_no_migrations=True)
    applied = {node for target in installed_to for node in original.graph.forwards_plan(target)}
    recorder = MigrationRecorder(record)
    for app, name in applied:
        recorder.record_applied(app, name)

    loader = MigrationLoader(record)
    loader.check_consistent_history(record)
    squashes = _squashes(loader)
    plan = [
        node
        for leaf in loader.graph.leaf_nodes()
        for node in loader.graph.forwards_plan(leaf)
        if node not in loader.applied_migrations
    ]
    pending = set(plan)
    # An app the site had begun runs the original migrations it lacks; an app it had not begun
    # runs its squash; nothing the site has runs again.
    begun = {app for app, _ in applied}
    expected = set()
    for node in original.graph.nodes:
        if node in applied:
            continue
        if node in squashes:
            if node[0] not in begun:
                expected.add(node)
        elif not (node[0] not in begun and any(node in r for r in squashes.values())):
            expected.add(node)
    assert pending == expected
    assert not pending & applied
    assert any(node in squashes for node in pending)
    assert any(node not in squashes and node[0] in {a for a, _ in squashes} for node in pending)

    # As the executor records them: a squash run records the migrations it replaces.
    for node in pending:
        for app, name in squashes.get(node, [node]):
            recorder.record_applied(app, name)
    upgraded = MigrationLoader(record)
    assert set(squashes) <= set(upgraded.applied_migrations)
    assert all(
        node in upgraded.applied_migrations
        for leaf in upgraded.graph.leaf_nodes()
        for node in upgraded.graph.forwards_plan(leaf)
    )
