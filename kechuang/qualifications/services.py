"""Writes of the qualification engine: rule-set seeding and edits, assessment runs, staleness.

The path is always *selector loads → pure function computes → service writes*: an assessment
run reads the batch frame (:func:`selectors.assessment_frame`), evaluates every tier with the
pure batch face (:func:`logic.evaluate_batch`) and stores the results with one ``bulk_create``
inside one transaction.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import logging
import time
from collections.abc import Iterator
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction
from typing import Any

import polars as pl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.core.permissions import user_role
from kechuang.core.roles import Role
from kechuang.imports.recovery import Heartbeat, stale_rows

from .logic import evaluate_batch, evaluate_case
from .logic.gaps import cost_weights_fen
from .logic.results import STORED_TIERS, result_frame
from .logic.rulesets import _DECIMAL_RE, RULESET_DIR, STATUSES
from .models import AssessmentResult, AssessmentRun, RuleSet, RunStatus
from .selectors import (
    TIER_KIND,
    assessment_frame,
    data_as_of,
    evaluation_date_for,
    held_tiers,
    logic_ruleset,
    ruleset_in_force,
)

__all__ = [
    "ruleset_seed",
    "ruleset_update",
    "assessment_run_create",
    "assessment_runs_mark_stale",
    "results_from_batch",
    "results_store",
    "ruleset_seed_after_migrate",
    "sweep_stale_runs",
    "SAMPLE_CASE",
]

log = logging.getLogger(__name__)

FEN_PER_WAN = 1_000_000
FEN_PER_YUAN = 100

# The worked example of docs/qualification-rules.md#offline-evaluation: every rule-set edit must still evaluate it.
SAMPLE_CASE: dict[str, Any] = {
    "id": "case-17",
    "application_date": "2026-05-01",
    "registration_date": "2020-03-12",
    "is_resident_enterprise": True,
    "fiscal_years": {
        "2023": {"sales_revenue": 2400, "rd_expense_hnte": 150, "rd_expense_hnte_domestic": 135,
                 "total_assets": 2000, "total_liabilities": 1000},
        "2024": {"sales_revenue": 3200, "rd_expense_hnte": 220, "rd_expense_hnte_domestic": 198,
                 "total_assets": 2500, "total_liabilities": 1200},
        "2025": {"sales_revenue": 4200, "rd_expense_hnte": 300, "rd_expense_hnte_domestic": 270,
                 "total_assets": 3000, "total_liabilities": 1200, "employees_avg": "42.17",
                 "tech_staff_avg": "5.54", "employees_total": 44, "tech_staff": 6,
                 "total_income": 4400, "non_taxable_income": 0, "hightech_income": 3444,
                 "total_cost_expense": 3360, "rd_expense_deduction_scope": 290},
    },
    "ip_assets": [{"kind": "invention_patent", "acquisition": "self_developed"},
                  {"kind": "software_copyright", "acquisition": "self_developed"}],
    "certificates": [{"kind": "high_tech", "number": "GR202233100001", "issue_date": "2022-12-14"}],
    "incidents": [],
    "credit_flags": {"abnormal_operation_list": False, "serious_dishonesty_list": False},
    "flags": {"product_in_prohibited_restricted_eliminated_catalogue": False,
              "core_tech_in_supported_fields": True},
    "expert_inputs": {"ip_advancement": 6, "ip_core_support": 6, "ip_acquisition": 5,
                      "ip_standards_bonus": 0, "conversions_3y": 10, "rd_mgmt": [5, 4, 3, 3]},
}  # fmt: skip


# ------------------------------------------------------------------ rule sets


def ruleset_seed_after_migrate(sender: Any = None, using: str = "default", **kwargs: Any) -> None:
    """``post_migrate`` receiver: the shipped rule sets exist after every ``migrate`` (and after
    a test database is flushed), so reading them never writes."""
    if RuleSet._meta.db_table in connections[using].introspection.table_names():
        ruleset_seed()


def ruleset_seed() -> list[RuleSet]:
    """Copy every shipped ``logic/rulesets/*.json`` into the database unless already there."""
    created = []
    for path in sorted(RULESET_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        row, was_created = RuleSet.objects.get_or_create(
            version=data["version"],
            defaults={
                "effective_from": dt.date.fromisoformat(data["effective_from"]),
                "title": data.get("title_zh", "")[:255],
                "data": data,
            },
        )
        if was_created:
            created.append(row)
    return created


def _same_shape(old: Any, new: Any) -> bool:
    """Whether ``new`` has the structure of ``old`` (numbers stay numbers, lists keep length)."""
    if old is None:
        return new is None or isinstance(new, (int, str))
    if isinstance(old, bool):
        return isinstance(new, bool)
    if isinstance(old, int):
        return isinstance(new, int) and not isinstance(new, bool)
    if isinstance(old, str):
        if _DECIMAL_RE.match(old):
            return isinstance(new, str) and bool(_DECIMAL_RE.match(new))
        return isinstance(new, str)
    if isinstance(old, list):
        return (
            isinstance(new, list)
            and len(new) == len(old)
            and all(_same_shape(o, n) for o, n in zip(old, new, strict=True))
        )
    if isinstance(old, dict):
        return (
            isinstance(new, dict)
            and set(new) == set(old)
            and all(_same_shape(old[k], new[k]) for k in old)
        )
    return type(old) is type(new)


def _non_negative(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return value >= 0 or True  # offsets such as tsn.base_year_offset may be negative
    if isinstance(value, str) and _DECIMAL_RE.match(value):
        return Fraction(value) >= 0
    if isinstance(value, list):
        return all(_non_negative(v) for v in value)
    if isinstance(value, dict):
        return all(_non_negative(v) for v in value.values())
    return True


def ruleset_update(*, rule_set: RuleSet, user: Any, changes: dict[str, dict[str, Any]]) -> RuleSet:
    """Change item values/statuses of ``rule_set`` (bureau admin only), with history.

    ``changes`` maps item key → ``{"value": ..., "status": ...}`` (either may be absent).
    Raises ``PermissionDenied`` for other roles and ``ValidationError`` keyed by item when a
    value does not keep the item's shape, a ratio is negative, a status is unknown, or the
    engine cannot evaluate the worked example with the new data.
    """
    if user_role(user) != Role.BUREAU_ADMIN:
        raise PermissionDenied
    data = copy.deepcopy(rule_set.data)
    errors: dict[str, list[str]] = {}
    changed = False
    for key, change in changes.items():
        item = data["items"].get(key)
        if item is None:
            errors.setdefault(key, []).append(_("Unknown rule item."))
            continue
        if "value" in change and change["value"] != item["value"]:
            new = change["value"]
            if not _same_shape(item["value"], new):
                errors.setdefault(key, []).append(
                    _("The value must keep the shape of the current value (%(example)s).")
                    % {"example": json.dumps(item["value"], ensure_ascii=False)}
                )
            elif not _non_negative(new):
                errors.setdefault(key, []).append(_("Thresholds and ratios cannot be negative."))
            else:
                item["value"] = new
                changed = True
        if "status" in change and change["status"] != item["status"]:
            if change["status"] not in STATUSES:
                errors.setdefault(key, []).append(_("Unknown status."))
            else:
                item["status"] = change["status"]
                changed = True
    if not errors and changed:
        try:
            evaluate_case(SAMPLE_CASE, ruleset=_parse_checked(data))
        except Exception:  # any failure means the engine cannot use these values
            log.warning("rule-set edit rejected: the worked example fails", exc_info=True)
            errors["__all__"] = [
                _(
                    "With these values the rules can no longer be applied to the reference "
                    "example; check the bands (highest first) and the thresholds."
                )
            ]
    if errors:
        raise ValidationError(errors)
    if not changed:
        return rule_set
    with transaction.atomic():
        rule_set.data = data
        rule_set.revision += 1
        rule_set.updated_by = user
        rule_set._history_user = user  # type: ignore[attr-defined]  # simple-history's hook
        rule_set.save()
    return rule_set


def _parse_checked(data: dict) -> Any:
    from .logic.rulesets import _parse

    return _parse(data)


# ------------------------------------------------------------------ assessment runs


def _ceil2(value: float | Fraction) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_CEILING)


def results_from_batch(
    out: pl.DataFrame, *, run: AssessmentRun, held: dict[str, set[int]], ruleset: Any
) -> list[AssessmentResult]:
    """Turn the batch output into unsaved result rows (one per enterprise and stored tier).

    The row-by-row reference of :func:`results_store` (which writes the same rows without
    building objects); the tests compare the two.
    """
    w = ruleset.v("gap.cost_weights")
    w_staff, w_ip1, w_ip2 = (
        Decimal(str(w[k])) for k in ("tech_staff_person", "ip_class1_item", "ip_class2_item")
    )
    w_rd = Decimal(str(w["rd_wan"]))
    rows: list[AssessmentResult] = []
    cols = out.columns
    index = {c: i for i, c in enumerate(cols)}
    for r in out.iter_rows():
        eid = int(r[index["id"]])
        for tier, prefix, conds in STORED_TIERS:
            statuses = {c: r[index[f"{prefix}_{c}"]] for c in conds}
            gaps: list[dict[str, Any]] = []
            rd_fen = staff = ip1 = ip2 = income_fen = None
            score_min = score_max = None
            route = ""
            if prefix == "tsn":
                score_min, score_max = r[index["tsn_score_min"]], r[index["tsn_score_max"]]
                route = r[index["tsn_route"]] or ""
                staff = r[index["tsn_gap_tech_staff"]] or None
                rd_fen = r[index["tsn_gap_rd_fen"]] or None
                ip2 = r[index["tsn_gap_ip_class2"]] or None
                ip1 = r[index["tsn_gap_ip_class1"]] or None
                if statuses["C5"] == "fail" or statuses["C5s"] == "fail":
                    if staff:
                        gaps.append(
                            {
                                "condition": "C5",
                                "field": "tech_staff",
                                "additional": staff,
                                "unit": "persons",
                            }
                        )
                    if rd_fen:
                        gaps.append(
                            {
                                "condition": "C5",
                                "field": "rd_expense_deduction_scope",
                                "additional": rd_fen / FEN_PER_WAN,
                                "unit": "万元",
                            }
                        )
                    if ip2:
                        gaps.append(
                            {
                                "condition": "C5",
                                "field": "ip_class2_count",
                                "additional": ip2,
                                "unit": "items",
                            }
                        )
                    if ip1:
                        gaps.append(
                            {
                                "condition": "C5",
                                "field": "ip_class1_count",
                                "additional": ip1,
                                "unit": "items",
                            }
                        )
                else:
                    staff = rd_fen = ip1 = ip2 = None
            elif prefix == "ht":
                score_min, score_max = r[index["ht_score_min"]], r[index["ht_score_max"]]
                h1 = r[index["ht_gap_h1_days"]]
                h4 = r[index["ht_gap_h4_persons"]]
                h5 = r[index["ht_gap_h5_fen"]]
                h5b = r[index["ht_gap_h5b_fen"]]
                h6 = r[index["ht_gap_h6_fen"]]
                h7 = r[index["ht_gap_h7_points"]]
                if h1 is not None:
                    gaps.append(
                        {
                            "condition": "H1",
                            "field": "registration_days",
                            "additional": h1,
                            "unit": "days",
                        }
                    )
                if statuses["H2"] == "fail":
                    gaps.append(
                        {
                            "condition": "H2",
                            "field": "ip_class2_unused_count",
                            "additional": 1,
                            "unit": "items",
                        }
                    )
                    ip2 = 1
                if h4 is not None:
                    gaps.append(
                        {
                            "condition": "H4",
                            "field": "tech_staff_avg",
                            "additional": h4,
                            "unit": "persons",
                        }
                    )
                    staff = h4
                if h5 is not None:
                    gaps.append(
                        {
                            "condition": "H5",
                            "field": "rd_expense_hnte",
                            "additional": h5 / FEN_PER_WAN,
                            "unit": "万元",
                        }
                    )
                if h5b is not None:
                    gaps.append(
                        {
                            "condition": "H5b",
                            "field": "rd_expense_hnte_domestic",
                            "additional": h5b / FEN_PER_WAN,
                            "unit": "万元",
                        }
                    )
                if h6 is not None:
                    income_fen = h6
                    gaps.append(
                        {
                            "condition": "H6",
                            "field": "hightech_income",
                            "additional": h6 / FEN_PER_WAN,
                            "unit": "万元",
                        }
                    )
                if h7 is not None:
                    gaps.append(
                        {
                            "condition": "H7",
                            "field": "innovation_score",
                            "additional": h7,
                            "unit": "points",
                        }
                    )
                if h5 is not None or h5b is not None:
                    rd_fen = (h5 or 0) + (h5b or 0)
            values = list(statuses.values())
            cost = None
            if rd_fen or staff or ip1 or ip2 or income_fen:
                # High-tech income is weighed like R&D: 万元 for 万元 (a ranking aid only).
                cost = (
                    Decimal((rd_fen or 0) + (income_fen or 0)) / FEN_PER_WAN * w_rd
                    + Decimal(str(staff or 0)) * w_staff
                    + Decimal(ip1 or 0) * w_ip1
                    + Decimal(ip2 or 0) * w_ip2
                ).quantize(Decimal("0.01"), rounding=ROUND_CEILING)
            rows.append(
                AssessmentResult(
                    run=run,
                    enterprise_id=eid,
                    tier=tier,
                    status=r[index[f"{prefix}_status"]],
                    held=eid in held.get(TIER_KIND[tier], ()),
                    score_min=score_min,
                    score_max=score_max,
                    route=route,
                    conditions=statuses,
                    gaps=gaps,
                    failed_count=values.count("fail"),
                    unknown_count=values.count("unknown"),
                    gap_rd_yuan=None if rd_fen is None else Decimal(rd_fen) / FEN_PER_YUAN,
                    gap_tech_staff=None if staff is None else _ceil2(staff),
                    gap_ip_class1=ip1,
                    gap_ip_class2=ip2,
                    gap_cost_wan=cost,
                )
            )
    return rows


STORE_CHUNK_ENTERPRISES = 50_000  # enterprises per built and written slice (bounds the memory)


def results_store(
    out: pl.DataFrame,
    *,
    run: AssessmentRun,
    held: dict[str, set[int]],
    ruleset: Any,
    chunk: int = STORE_CHUNK_ENTERPRISES,
) -> int:
    """Write the result rows of ``out`` for ``run`` (the caller's transaction), column-wise.

    The rows are what :func:`results_from_batch` builds (``logic.results.result_frame``
    computes them over whole columns), written slice by slice with COPY on PostgreSQL and
    multi-row inserts elsewhere (``imports.bulk.write_frame``), so no model instance is made
    and the memory stays bounded by one slice. Returns the number of rows written.
    """
    from django.db import router

    from kechuang.imports.bulk import write_frame

    connection = connections[router.db_for_write(AssessmentResult)]
    table = AssessmentResult._meta.db_table
    return sum(
        write_frame(connection, table, rows, not_null_text=["route"])
        for rows in _result_slices(out, run=run, held=held, ruleset=ruleset, chunk=chunk)
    )


def _result_slices(
    out: pl.DataFrame, *, run: AssessmentRun, held: dict[str, set[int]], ruleset: Any, chunk: int
) -> Iterator[pl.DataFrame]:
    """The result rows of ``out`` for ``run``, ``chunk`` enterprises at a time."""
    held_by_tier = {tier: held.get(TIER_KIND[tier], set()) for tier, _p, _c in STORED_TIERS}
    weights = cost_weights_fen(ruleset)
    for start in range(0, out.height, chunk):
        rows = result_frame(out.slice(start, chunk), held=held_by_tier, weights_fen=weights)
        yield rows.with_columns(pl.lit(run.pk, dtype=pl.Int64).alias("run_id"))


def store_writers(alias: str | None = None) -> int:
    """How many database connections write one run's results side by side.

    ``KECHUANG_ASSESSMENT_WRITERS`` (default 2) on PostgreSQL when no transaction is open;
    otherwise 1, the caller's own transaction (SQLite has one writer at a time, and results
    written inside an open transaction must stay in it).
    """
    from django.conf import settings
    from django.db import router

    connection = connections[alias or router.db_for_write(AssessmentResult)]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return 1
    return max(1, settings.KECHUANG_ASSESSMENT_WRITERS)


def results_store_parallel(
    out: pl.DataFrame,
    *,
    run: AssessmentRun,
    held: dict[str, set[int]],
    ruleset: Any,
    writers: int,
    chunk: int = STORE_CHUNK_ENTERPRISES,
) -> int:
    """Write the result rows of a *running* run through ``writers`` connections at once.

    The rows are built here slice by slice, as :func:`results_store` builds them; each writer
    thread COPYs the slices it takes in its own transaction. The rows are committed before the
    run is marked done, which is safe because every reader reads the results of a finished run
    only (``status = done``); if anything fails the caller deletes the run's rows
    (:func:`results_discard`). Returns the number of rows written.
    """
    import queue
    import threading

    from django.db import router

    from kechuang.imports.bulk import write_frame

    alias = router.db_for_write(AssessmentResult)
    table = AssessmentResult._meta.db_table
    slices: queue.Queue = queue.Queue(maxsize=writers)  # bounds the memory to a few slices
    written: list[int] = []
    failures: list[BaseException] = []

    def writer() -> None:
        connection = connections[alias]  # this thread's own connection
        try:
            while (rows := slices.get()) is not None:
                if not failures:
                    with transaction.atomic(using=alias):  # one slice per transaction
                        written.append(
                            write_frame(connection, table, rows, not_null_text=["route"])
                        )
        except BaseException as exc:  # noqa: BLE001 - handed to the caller below
            failures.append(exc)
            while slices.get() is not None:  # let the builder finish; the run is discarded
                pass
        finally:
            connection.close()

    threads = [
        threading.Thread(target=writer, name=f"kechuang-results-{i}", daemon=True)
        for i in range(writers)
    ]
    for thread in threads:
        thread.start()
    try:
        for rows in _result_slices(out, run=run, held=held, ruleset=ruleset, chunk=chunk):
            if failures:
                break
            slices.put(rows)
    finally:
        for _ in threads:
            slices.put(None)
        for thread in threads:
            thread.join()
    if failures:
        raise failures[0]
    return sum(written)


def results_discard(run: AssessmentRun) -> None:
    """Delete the stored rows of a run that did not finish (written outside its transaction)."""
    AssessmentResult.objects.filter(run_id=run.pk).delete()


def _summary(out: pl.DataFrame) -> dict[str, dict[str, int]]:
    summary = {}
    for tier, prefix, _conds in STORED_TIERS:
        counts = out.get_column(f"{prefix}_status").cast(pl.Utf8).value_counts()
        summary[tier] = {s: int(n) for s, n in counts.iter_rows()}
    return summary


def assessment_run_create(
    *, year: int, user: Any = None, evaluation_date: dt.date | None = None
) -> AssessmentRun:
    """Assess every enterprise for ``year`` and store the results (one transaction).

    Raises ``PermissionDenied`` when a user other than bureau staff asks. The run records the
    rule-set version and revision, the newest data timestamp it read, its duration and the
    counts per tier and status. On an engine error the run is kept as FAILED with the error.
    """
    if user is not None and user_role(user) not in (Role.BUREAU_ADMIN, Role.BUREAU_STAFF):
        raise PermissionDenied
    t0 = time.perf_counter()
    t = evaluation_date or evaluation_date_for(year)
    row = ruleset_in_force(t)
    rs = logic_ruleset(row)
    stamp = data_as_of(year)
    run = AssessmentRun.objects.create(
        year=year,
        evaluation_date=t,
        rule_set=row,
        rule_set_version=row.version,
        rule_set_revision=row.revision,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        data_as_of=stamp,
        heartbeat_at=timezone.now(),
    )

    beat = Heartbeat(AssessmentRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING))
    beat.__enter__()
    try:
        frame = assessment_frame(year, evaluation_date=t, ruleset=rs)
        out = evaluate_batch(frame.drop("enterprise_id"), ruleset=rs, evaluation_date=t)
        held = held_tiers(year)
        writers = store_writers()
        if writers > 1:
            results_store_parallel(out, run=run, held=held, ruleset=rs, writers=writers)
        with transaction.atomic():
            if writers == 1:
                results_store(out, run=run, held=held, ruleset=rs)
            run.status = RunStatus.DONE
            run.enterprise_count = out.height
            run.summary = _summary(out)
            run.duration_s = round(time.perf_counter() - t0, 3)
            run.save(update_fields=["status", "enterprise_count", "summary", "duration_s"])
    except Exception as exc:
        results_discard(run)  # rows a parallel store committed; nothing otherwise
        run.status = RunStatus.FAILED
        run.error = f"{type(exc).__name__}: {exc}"
        run.duration_s = round(time.perf_counter() - t0, 3)
        run.save(update_fields=["status", "error", "duration_s"])
        raise
    finally:
        beat.__exit__(None, None, None)
    return run


# ------------------------------------------------------------------ staleness


def affected_years(years: set[int] | None) -> set[int] | None:
    """Assessment years that read the given fiscal years (Y reads Y-2..Y); None = all."""
    if years is None:
        return None
    return {y + k for y in years for k in (0, 1, 2)}


def sweep_stale_runs(cutoff: dt.datetime, message: str) -> dict[str, int]:
    """``imports.recovery.STALE_SWEEPERS`` entry: running assessment runs without a heartbeat
    since ``cutoff`` become interrupted (writes only when there is one)."""
    runs = stale_rows(AssessmentRun.objects.filter(status=RunStatus.RUNNING), cutoff)
    if not runs.exists():
        return {"runs": 0}
    # A parallel store commits rows before its run is done: an interrupted run's rows go.
    AssessmentResult.objects.filter(run__in=runs).delete()
    return {"runs": runs.update(status=RunStatus.INTERRUPTED, error=message)}


def assessment_runs_mark_stale(years: set[int] | None) -> list[int]:
    """Mark current runs of the affected assessment years stale; return those years."""
    qs = AssessmentRun.objects.filter(stale_at__isnull=True, status=RunStatus.DONE)
    targets = affected_years(years)
    if targets is not None:
        qs = qs.filter(year__in=targets)
    marked = sorted(set(qs.values_list("year", flat=True)))
    qs.update(stale_at=timezone.now())
    return marked
