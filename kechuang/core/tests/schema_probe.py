"""Compare the schema the migrations built with the one the models describe.

Run as `python -m kechuang.core.tests.schema_probe` under the settings and database to check,
after `manage.py migrate`. Prints one JSON object: the number of tables checked and every
difference (a missing table, a missing or extra column, a column whose nullability differs).

The test suite creates its databases straight from the models (pytest `--no-migrations`, which
is much faster than replaying every migration), so this probe is what keeps the migrations
honest: the production test runs it on the database it migrated, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import os
import sys


def differences() -> tuple[int, list[str]]:
    from django.apps import apps
    from django.db import connection

    with connection.cursor() as cursor:
        introspection = connection.introspection
        tables = set(introspection.table_names(cursor))
        checked = 0
        found: list[str] = []
        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            if not meta.managed or meta.proxy:
                continue
            checked += 1
            table = meta.db_table
            if table not in tables:
                found.append(f"missing table {table}")
                continue
            columns = {
                c.name: c.null_ok for c in introspection.get_table_description(cursor, table)
            }
            expected = {f.column: f.null for f in meta.local_concrete_fields}
            for name in sorted(expected.keys() - columns.keys()):
                found.append(f"{table}: missing column {name}")
            for name in sorted(columns.keys() - expected.keys()):
                found.append(f"{table}: extra column {name}")
            for name in sorted(expected.keys() & columns.keys()):
                if bool(expected[name]) != bool(columns[name]):
                    found.append(
                        f"{table}.{name}: null={columns[name]}, model null={expected[name]}"
                    )
    return checked, found


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    checked, found = differences()
    print(json.dumps({"tables": checked, "differences": found}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
