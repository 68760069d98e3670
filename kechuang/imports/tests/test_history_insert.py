"""The import's fast insert writes exactly what django-simple-history's `bulk_create_with_history`
writes for the same objects: every column of the rows and of their "+" history rows (only the
keys and the write timestamps differ), and its fallback branch is that helper itself."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest
from django.db import connection
from django.forms.models import model_to_dict
from simple_history.utils import bulk_create_with_history

from kechuang.core.models import DataSource
from kechuang.enterprises.models import AnnualFigure, Enterprise
from kechuang.enterprises.tests.factories import (
    make_credit_code,
    make_enterprise,
    make_town,
    make_user,
)
from kechuang.imports import services
from kechuang.imports.models import ImportBatch

pytestmark = pytest.mark.django_db

# Keys and write times: assigned by the database or the clock, not by the writer.
VOLATILE = {"id", "history_id", "history_date", "created_at", "updated_at"}


def _rows(model, pks) -> list[dict]:
    return [
        {k: v for k, v in row.items() if k not in VOLATILE}
        for row in model.objects.filter(pk__in=pks).order_by("pk").values()
    ]


def _history(model, pks) -> list[dict]:
    return [
        {k: v for k, v in row.items() if k not in VOLATILE}
        for row in model.history.filter(id__in=pks).order_by("id").values()
    ]


def _enterprise_rows(town, batch, user, n=3) -> list[tuple[dict, dict]]:
    return [
        (
            {
                "credit_code": make_credit_code(),
                "name": f"历史比对企业{i}",
                "industry_code": "3411",
                "town_id": town.pk,
            },
            {},  # enterprises carry no provenance columns
        )
        for i in range(n)
    ]


def _figure_rows(enterprises, batch, user) -> list[tuple[dict, dict]]:
    return [
        (
            {
                "enterprise_id": e.pk,
                "year": 2023,
                "operating_revenue": Decimal("12345678.90") + i,
                "rd_expense_stat": None if i == 1 else Decimal("1000.50"),
            },
            {
                "source": DataSource.IMPORT,
                "import_batch": batch,
                "source_row": i + 2,
                "updated_by": user,
            },
        )
        for i, e in enumerate(enterprises)
    ]


def _library(model, rows, *, user, reason) -> list[int]:
    """The same objects through simple-history's own helper."""
    objs = [model(**values, **provenance) for values, provenance in rows]
    created = bulk_create_with_history(objs, model, default_user=user, default_change_reason=reason)
    return [o.pk for o in created]


def _fast(model, rows, *, user, reason) -> list[int]:
    before = set(model.objects.values_list("pk", flat=True))
    services._create_with_history(model, rows, user=user, reason=reason)
    return sorted(set(model.objects.values_list("pk", flat=True)) - before)


def _as_frame(rows) -> pl.DataFrame:
    """Rows as the import's column-wise writer takes them: by attname, decimals as floats."""
    out = []
    for values, provenance in rows:
        row = {k: float(v) if isinstance(v, Decimal) else v for k, v in values.items()}
        for k, v in provenance.items():
            row[f"{k}_id" if k in ("import_batch", "updated_by") else k] = getattr(v, "pk", v)
        out.append(row)
    return pl.DataFrame(out, infer_schema_length=None)


def _frame_fast(model, rows, *, user, reason) -> list[int]:
    before = set(model.objects.values_list("pk", flat=True))
    pks = services._create_with_history(
        model, _as_frame(rows), user=user, reason=reason, pks_only=True
    )
    new = sorted(set(model.objects.values_list("pk", flat=True)) - before)
    assert sorted(pks) == new
    return new


def _compare(model, make_rows, user, fast=_fast):
    """Write the same rows both ways (the library's first, then deleted) and compare."""
    reason = "import:test"
    rows = make_rows()
    library_pks = _library(model, rows, user=user, reason=reason)
    expected_rows, expected_history = _rows(model, library_pks), _history(model, library_pks)
    times = list(model.objects.filter(pk__in=library_pks).values_list("updated_at", flat=True))
    model.history.filter(id__in=library_pks).delete()
    model.objects.filter(pk__in=library_pks).delete()

    fast_pks = fast(model, rows, user=user, reason=reason)
    assert len(fast_pks) == len(rows)
    assert _rows(model, fast_pks) == expected_rows
    assert _history(model, fast_pks) == expected_history
    assert len(expected_history) == len(rows)
    for obj in model.objects.filter(pk__in=fast_pks):
        assert obj.updated_at is not None and all(t is not None for t in times)
        record = obj.history.get()
        assert record.history_type == "+"
        assert record.history_change_reason == reason
        assert record.history_user_id == user.pk
        # The history row holds the object's own values (what model_to_dict shows of it).
        assert {k: getattr(record, k) for k in model_to_dict(obj)} == {
            k: getattr(obj, k) for k in model_to_dict(obj)
        }


def test_enterprises_and_figures_match_the_library():
    user = make_user(None)
    town = make_town()
    batch = ImportBatch.objects.create(entity="enterprises", file_name="a.xlsx", created_by=user)
    _compare(Enterprise, lambda: _enterprise_rows(town, batch, user), user)
    enterprises = [make_enterprise(town=town) for _ in range(3)]
    _compare(AnnualFigure, lambda: _figure_rows(enterprises, batch, user), user)


def test_column_wise_writer_matches_the_library():
    """New rows written from a frame (the import's path for new keys) equal the library's."""
    user = make_user(None)
    town = make_town()
    batch = ImportBatch.objects.create(entity="enterprises", file_name="a.xlsx", created_by=user)
    _compare(Enterprise, lambda: _enterprise_rows(town, batch, user), user, fast=_frame_fast)
    enterprises = [make_enterprise(town=town) for _ in range(3)]
    _compare(AnnualFigure, lambda: _figure_rows(enterprises, batch, user), user, fast=_frame_fast)


def test_cell_text_by_column_equals_cell_by_cell():
    """The reader's vectorised text of a column equals `_cell_text` of each cell."""
    cases = [
        [None, 0.0, -0.0, 1.5, 1e-5, 1e16, 123.45, float("inf"), -3.0, 1e15, 999999999999999.0],
        [round(i * 1234.5678 + 0.01 * (i % 7), 2) for i in range(-500, 500)],
        ["a", "", None, " b "],
        [1, 2, None],
        [1, "a", True, None, 2.0, dt.date(2024, 2, 29), dt.datetime(2024, 3, 1, 12, 0)],
    ]
    for values in cases:
        assert services._column_text("x", values).to_list() == [
            services._cell_text(v) for v in values
        ]


def test_fallback_is_the_library_helper(monkeypatch):
    """Without INSERT … RETURNING the import uses simple-history's helper (and still answers
    {credit code: pk})."""
    user = make_user(None)
    town = make_town()
    calls = []
    real = services.bulk_create_with_history

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "bulk_create_with_history", spy)
    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    rows = _enterprise_rows(town, None, user, n=2)
    codes = services._create_with_history(Enterprise, rows, user=user, reason="import:fallback")
    assert len(calls) == 1 and calls[0]["default_change_reason"] == "import:fallback"
    assert set(codes) == {values["credit_code"] for values, _ in rows}
    for code, pk in codes.items():
        enterprise = Enterprise.objects.get(pk=pk)
        assert enterprise.credit_code == code
        record = enterprise.history.get()
        assert (record.history_type, record.history_user_id) == ("+", user.pk)


def test_auto_dates_are_set_on_both_rows():
    user = make_user(None)
    town = make_town()
    start = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)
    codes = services._create_with_history(
        Enterprise, _enterprise_rows(town, None, user, n=1), user=user, reason="import:t"
    )
    enterprise = Enterprise.objects.get(pk=next(iter(codes.values())))
    assert enterprise.updated_at >= start
    assert enterprise.history.get().history_date >= start
