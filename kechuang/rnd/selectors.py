"""R&D reads: regional aggregates of above-scale industrial enterprises, the zero-R&D lists.

One set of functions computes every regional R&D figure — the dashboard, the R&D page, the
lists, the API, the annual report and `kechuang stats` all call `rd_aggregates`, `rd_series`
and `rd_breakdown`. They load the above-scale enterprise-years as columns (one SQL query, money
as integer fen) and compute in Polars (`logic/aggregates.py`), never row by row in the ORM.

Whole-region calls (`queryset=None`) use a columnar snapshot every server process shares
(kechuang.core.datacache), checked against a cheap fingerprint of the tables (largest history
ids and primary keys, one query), so any saved change — form, API, import, even a bare
`save()` — is seen on the next call; only the changed enterprises' rows are reloaded. A
`queryset` (a slice, or a user's scope) is always loaded fresh.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
import uuid
from decimal import Decimal
from typing import Any

import polars as pl
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast, Round, Substr
from django.utils.translation import gettext_lazy as _

from kechuang.core.access import scope_for
from kechuang.core.datacache import (
    changed_values,
    epoch,
    register_local_state,
    store_delete,
    store_get,
    store_set,
    table_marks,
)
from kechuang.core.figures import figure_values, figures_in
from kechuang.core.permissions import Scope, user_scope
from kechuang.enterprises.choices import QualificationKind
from kechuang.enterprises.logic.industry import DIVISIONS
from kechuang.enterprises.models import AnnualFigure, Enterprise, Qualification
from kechuang.platforms.figures import RD_INSTITUTIONS_TOTAL
from kechuang.platforms.models import RDInstitution
from kechuang.platforms.selectors import institution_counts
from kechuang.regions.models import Town

from .figures import DEFINITIONS, INSTITUTIONS_PER_ABOVE_SCALE
from .logic import aggregates as agg
from .logic.zero_rd import ZeroRdSpec

__all__ = [
    "DEFINITIONS",
    "SLICE_LABELS",
    "REVENUE_BAND_LABELS",
    "rd_aggregates",
    "rd_figures",
    "rd_page_figures",
    "visible_towns",
    "rd_series",
    "rd_breakdown",
    "rd_frames",
    "snapshot_clear",
    "zero_rd_enterprises",
    "without_visit_task",
    "CONTRADICTION_KINDS",
]

SLICE_LABELS = {
    "town": _("Town/street"),
    "division": _("Industry division"),
    "revenue_band": _("Revenue band"),
    "tier": _("Qualification held"),
}
REVENUE_BAND_LABELS = {
    "le_50m": _("≤ 50 million yuan"),
    "50m_200m": _("50–200 million yuan"),
    "200m_1bn": _("200 million – 1 billion yuan"),
    "gt_1bn": _("> 1 billion yuan"),
    "unknown": _("Revenue not reported"),
}
CENT = Decimal("0.01")


# ------------------------------------------------------------------ loading columns


def _figure_query(queryset: QuerySet) -> QuerySet:
    fen = BigIntegerField()
    return (
        queryset.filter(is_above_scale_industrial=True)
        .order_by()
        .values_list(
            "enterprise_id",
            "year",
            Cast(Round(F("operating_revenue") * 100), fen),
            Cast(Round(F("rd_expense_stat") * 100), fen),
            "enterprise__town_id",
            Substr("enterprise__industry_code", 1, 2),
        )
    )


def _fetch(queryset: QuerySet) -> list[tuple]:
    """Rows of a values_list queryset through the bare cursor (no per-row converters)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # e.g. `.none()` for a user who sees no enterprise
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _load_figures(queryset: QuerySet) -> pl.DataFrame:
    rows = _fetch(_figure_query(queryset))
    if not rows:
        return agg.empty_frame()
    return pl.DataFrame(rows, schema=list(agg.FRAME_SCHEMA), orient="row").cast(agg.FRAME_SCHEMA)  # type: ignore[arg-type]


def _load_quals(queryset: QuerySet) -> pl.DataFrame:
    rows = _fetch(
        queryset.order_by().values_list(
            "enterprise_id", "kind", "issue_date", "expiry_date", "revoked_date"
        )
    )
    if not rows:
        return agg.empty_quals()
    # Both backends hand dates back as datetime.date (Django registers SQLite's converters).
    return pl.DataFrame(rows, schema=agg.QUAL_SCHEMA, orient="row")


# The region snapshot: the whole region's columns, shared by every server process through the
# derived-data store (kechuang.core.datacache) as a base plus a delta. The base holds every
# row at one version; the delta holds the current rows of the enterprises changed since, so a
# change touching a few enterprises reloads only theirs and every process applies the same
# small delta to the base it already holds. A full reload replaces the base when the delta
# outgrows DELTA_SHARE of the enterprises, when the stored marks are ahead of the tables (a
# restore or flush) or when the base is gone from the store.
SNAPSHOT_MODELS = (AnnualFigure, Enterprise, Qualification)
HEAD_KEY = "rnd:snapshot:head"
BASE_KEY = "rnd:snapshot:base:"
DELTA_SHARE = 0.05
DELTA_MIN = 2_000
_ID_CHUNK = 5_000
_LOCAL: dict = {}
_SNAPSHOT_LOCK = threading.Lock()


def _fingerprint() -> tuple:
    """The marks of the snapshot's tables (one cheap, index-only query)."""
    return table_marks(SNAPSHOT_MODELS)


def _local_clear() -> None:
    with _SNAPSHOT_LOCK:
        _LOCAL.clear()


register_local_state(_local_clear)


def snapshot_clear(years: Any = None, *, shared: bool = False) -> None:
    """Drop this process's copy (a data-changed handler: the next call checks the shared
    snapshot, which follows the changed rows); `shared=True` drops the shared one as well."""
    _local_clear()
    if shared:
        store_delete(HEAD_KEY)


def _snapshot_allowed() -> bool:
    """The snapshot is off by setting, and inside a transaction (see `rd_frames`)."""
    return getattr(settings, "KECHUANG_RND_SNAPSHOT", True) and not connection.in_atomic_block


def _pack(frames: tuple[pl.DataFrame, ...]) -> list[bytes]:
    out = []
    for frame in frames:
        buffer = io.BytesIO()
        frame.write_ipc(buffer, compression="lz4")
        out.append(buffer.getvalue())
    return out


def _unpack(blobs: list[bytes]) -> tuple[pl.DataFrame, ...]:
    return tuple(pl.read_ipc(io.BytesIO(b)) for b in blobs)


def _load_enterprises(ids: list[int]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The current rows of the enterprises `ids` (in chunks under the bound-parameter limit)."""
    figures, quals = [agg.empty_frame()], [agg.empty_quals()]
    for i in range(0, len(ids), _ID_CHUNK):
        chunk = ids[i : i + _ID_CHUNK]
        figures.append(_load_figures(AnnualFigure.objects.filter(enterprise_id__in=chunk)))
        quals.append(_load_quals(Qualification.objects.filter(enterprise_id__in=chunk)))
    return pl.concat(figures), pl.concat(quals)


def _changed_enterprises(old: tuple, new: tuple) -> set[int]:
    """Enterprises whose figures, profile or qualifications changed between two marks."""
    changed: set[int] = set()
    base = len(old) - 2 * len(SNAPSHOT_MODELS)
    for i, (model, column) in enumerate(
        [(AnnualFigure, "enterprise_id"), (Enterprise, "id"), (Qualification, "enterprise_id")]
    ):
        history_mark, id_mark = old[base + 2 * i], old[base + 2 * i + 1]
        if (history_mark, id_mark) != new[base + 2 * i : base + 2 * i + 2]:
            changed |= changed_values(model, column, history_mark, id_mark)
    return changed


def _rebuild(marks: tuple) -> dict:
    frames = (_load_figures(AnnualFigure.objects.all()), _load_quals(Qualification.objects.all()))
    base_id = uuid.uuid4().hex
    store_set(BASE_KEY + base_id, _pack(frames), None)
    head = {
        "marks": marks,
        "base": base_id,
        "base_enterprises": frames[0].get_column("enterprise_id").n_unique(),
        "delta": uuid.uuid4().hex,
        "ids": [],
        "rows": None,
    }
    old = store_get(HEAD_KEY)
    store_set(HEAD_KEY, head, None)
    if old and old.get("base") != base_id:
        store_delete(BASE_KEY + old["base"])
    with _SNAPSHOT_LOCK:
        _LOCAL.update(base_id=base_id, base=frames)
    return head


def _advance(head: dict, marks: tuple) -> dict:
    """The head at `marks`: the delta with the newly changed enterprises' rows reloaded."""
    changed = _changed_enterprises(head["marks"], marks)
    if not changed:
        head = {**head, "marks": marks}
    else:
        ids = sorted(set(head["ids"]) | changed)
        if len(ids) > max(DELTA_MIN, DELTA_SHARE * head["base_enterprises"]):
            return _rebuild(marks)
        fresh = _load_enterprises(sorted(changed))
        rows: tuple[pl.DataFrame, ...] = fresh
        if head["rows"] is not None:
            kept = pl.DataFrame(
                {"enterprise_id": sorted(changed)}, schema={"enterprise_id": pl.Int64}
            )
            rows = tuple(
                pl.concat([old.join(kept, on="enterprise_id", how="anti"), new])
                for old, new in zip(_unpack(head["rows"]), fresh, strict=True)
            )
        head = {**head, "marks": marks, "delta": uuid.uuid4().hex, "ids": ids, "rows": _pack(rows)}
    store_set(HEAD_KEY, head, None)
    return head


def _materialise(head: dict, marks: tuple) -> tuple[pl.DataFrame, pl.DataFrame]:
    with _SNAPSHOT_LOCK:
        base = _LOCAL.get("base") if _LOCAL.get("base_id") == head["base"] else None
    if base is None:
        blobs = store_get(BASE_KEY + head["base"])
        if blobs is None:  # evicted or replaced meanwhile
            head = _rebuild(marks)
            with _SNAPSHOT_LOCK:
                base = _LOCAL["base"]
        else:
            base = _unpack(blobs)
            with _SNAPSHOT_LOCK:
                _LOCAL.update(base_id=head["base"], base=base)
    if not head["ids"]:
        return base[0], base[1]
    changed = pl.DataFrame({"enterprise_id": head["ids"]}, schema={"enterprise_id": pl.Int64})
    figures, quals = (
        pl.concat([frame.join(changed, on="enterprise_id", how="anti"), rows])
        for frame, rows in zip(base, _unpack(head["rows"]), strict=True)
    )
    return figures, quals


def _region_frames() -> tuple[pl.DataFrame, pl.DataFrame]:
    marks = _fingerprint()
    key = (epoch(), marks)
    with _SNAPSHOT_LOCK:
        if _LOCAL.get("key") == key:
            return _LOCAL["frames"]
    head = store_get(HEAD_KEY)
    if head is None or head["marks"][:2] != marks[:2] or len(head["marks"]) != len(marks):
        head = _rebuild(marks)
    elif any(new < old for old, new in zip(head["marks"][2:], marks[2:], strict=True)):
        head = _rebuild(marks)  # the tables went back (a restore or a flush)
    elif head["marks"] != marks:
        head = _advance(head, marks)
    with _SNAPSHOT_LOCK:
        same_delta = _LOCAL.get("delta") == (head["base"], head["delta"])
        frames = _LOCAL.get("frames") if same_delta else None
    if frames is None:
        frames = _materialise(head, marks)
    with _SNAPSHOT_LOCK:
        _LOCAL.update(key=key, frames=frames, delta=(head["base"], head["delta"]))
    return frames


def rd_frames(queryset: QuerySet | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(figures, qualifications) columns for the aggregates.

    queryset: AnnualFigure rows (a slice or a user's scope); None means the whole region, served
    from the shared snapshot. Inside a transaction the snapshot is bypassed: the rows visible
    there may be uncommitted and must not leak into (or come from) a copy other requests share.
    The snapshot's rows are in no particular order.
    """
    if queryset is not None:
        figures = _load_figures(queryset)
        ids = queryset.values("enterprise_id")
        return figures, _load_quals(Qualification.objects.filter(enterprise_id__in=ids))
    if not _snapshot_allowed():
        return _load_figures(AnnualFigure.objects.all()), _load_quals(Qualification.objects.all())
    return _region_frames()


# ------------------------------------------------------------------ regional figures


def _yuan(fen: int) -> Decimal:
    return (Decimal(int(fen)) / 100).quantize(CENT)


def _public(figures: dict) -> dict:
    """Logic figures (fen) → the public keys (yuan as Decimal), as `kechuang stats` names them
    (docs/demo.md#seed-figures)."""
    out = dict(figures)
    out[agg.RD_EXPENSE] = _yuan(out.pop(agg.RD_EXPENSE_FEN))
    out[agg.REVENUE] = _yuan(out.pop(agg.REVENUE_FEN))
    order = [
        agg.ABOVE_SCALE,
        agg.WITH_RD,
        agg.WITH_RD_SHARE,
        agg.RD_EXPENSE,
        agg.RD_GROWTH,
        agg.RD_INTENSITY,
        agg.REVENUE,
    ]
    return {k: out[k] for k in order}


def rd_aggregates(year: int, queryset: QuerySet | None = None) -> dict:
    """Headline R&D figures of above-scale industrial enterprises for `year`.

    queryset: AnnualFigure rows to aggregate (default the whole region; pass a filtered or
    user-scoped one for a slice). Percentages are numbers of percent; money in yuan (Decimal).
    Growth compares with the previous year's above-scale set, as official statistics do.
    """
    return rd_series([year], queryset)[year]


def rd_figures(year: int, scope: Scope | None = None) -> dict:
    """Catalogue provider of the R&D figures and the institutions ratio for `year`: the whole
    region (scope None) or the enterprises of `scope`."""
    if scope is None:
        rd = rd_aggregates(year)
        institutions = institution_counts(year)
    else:
        rd = rd_aggregates(year, AnnualFigure.objects.all().in_scope(scope))
        institutions = institution_counts(year, RDInstitution.objects.all().in_scope(scope))
    above = rd[agg.ABOVE_SCALE]
    ratio = round(100 * institutions[RD_INSTITUTIONS_TOTAL] / above, 2) if above else None
    return {**rd, INSTITUTIONS_PER_ABOVE_SCALE: ratio}


TREND_YEARS = 6


def rd_page_figures(user: Any, year: int, years: list[int], by: str) -> dict:
    """What the R&D page shows for `user`: the catalogue's R&D figures of `year`, the trend of
    the last TREND_YEARS years with data and the breakdown `by` slice, all on the user's scope
    for "rnd.view" (the region for bureau staff and leaders, the town for a town officer)."""
    scope = scope_for(user, "rnd.view")
    queryset = None if scope.all else AnnualFigure.objects.all().in_scope(scope)
    trend_years = [y for y in years if y <= year][-TREND_YEARS:]
    keys = [f.key for f in figures_in("rd")]
    return {
        "values": figure_values(year, scope=scope, keys=keys),
        "trend_years": trend_years,
        "series": rd_series(trend_years, queryset),
        "rows": rd_breakdown(year, by, queryset),
        "scoped": not scope.all,
    }


def visible_towns(user: Any) -> QuerySet:
    """The towns whose enterprises `user` may see (a filter's choices)."""
    scope = user_scope(user)
    towns = Town.objects.all()
    return towns if scope.all else towns.filter(pk__in=scope.town_ids)


def rd_series(years: list[int], queryset: QuerySet | None = None) -> dict[int, dict]:
    """The headline figures for each of `years` (one load, one group-by)."""
    frame, _quals = rd_frames(queryset)
    return {y: _public(f) for y, f in agg.series(frame, years).items()}


def _labels(by: str, keys: list) -> dict:
    if by == "town":
        ids = [int(k) for k in keys if k is not None]
        names = dict(Town.objects.filter(pk__in=ids).values_list("pk", "name"))
        return {k: names.get(int(k), k) for k in keys if k is not None}
    if by == "division":
        return {k: f"{k} {DIVISIONS.get(k, '')}".strip() for k in keys if k}
    if by == "revenue_band":
        return {k: REVENUE_BAND_LABELS.get(k, k) for k in keys}
    labels = dict(QualificationKind.choices)
    return {k: labels.get(k, _("No qualification held")) for k in keys}


def rd_breakdown(year: int, by: str, queryset: QuerySet | None = None) -> list[dict]:
    """The headline figures of `year` per slice: "town", "division", "revenue_band" or "tier".

    Returns rows {key, label, ...figures} sorted by R&D expense, largest first. Town keys are
    town ids (int); growth compares with the same slice's previous-year set. For "tier" an
    enterprise holding two qualifications counts in both rows ("none": holds none).
    """
    if by not in agg.SLICES:
        raise ValueError(by)
    frame, quals = rd_frames(queryset)
    rows = agg.breakdown(frame, year, by, quals)
    labels = _labels(by, [r["key"] for r in rows])
    out = []
    for r in rows:
        key = int(r["key"]) if by == "town" and r["key"] is not None else r["key"]
        out.append({"key": key, "label": labels.get(r["key"], r["key"]), **_public(r)})
    return out


# ------------------------------------------------------------------ zero-R&D lists

# Qualifications whose holders claim R&D: a valid high-tech certificate (R&D ratio is a
# condition, 32号 第十一条(五)), or a tech-SME registration (R&D is scored, 国科发政〔2017〕115号
# 第七条(二)). A registration for year Y+1 is evaluated on year-Y figures, so it counts too.
CONTRADICTION_KINDS = (QualificationKind.NATIONAL_TECH_SME, QualificationKind.PROVINCIAL_TECH_SME)


def _contradiction(year: int) -> tuple[Exists, Exists]:
    from kechuang.enterprises.selectors import year_end

    end = year_end(year)
    high_tech = Qualification.objects.filter(
        enterprise=OuterRef("pk"), kind=QualificationKind.HIGH_TECH
    ).valid_on(end)
    tech_sme = Qualification.objects.filter(
        enterprise=OuterRef("pk"), kind__in=CONTRADICTION_KINDS, year__in=[year, year + 1]
    ).exclude(revoked_date__lte=end)
    return Exists(high_tech), Exists(tech_sme)


def zero_rd_enterprises(filter_spec: dict | ZeroRdSpec, user: Any) -> QuerySet:
    """Above-scale industrial enterprises declaring zero (or no) statistical R&D in a year.

    filter_spec: a saved filter (see `logic/zero_rd.py`: {"kind": "zero_rd", "year": 2024,
    "town": <town id>|None, "industry": "<2-digit division>"|None, "contradiction_only": bool}),
    as a dict or a ZeroRdSpec; raises ValueError when malformed. user: the rows are scoped to
    what this user may see (`for_user`).

    Returns an Enterprise queryset (one query), annotated with that year's figures
    (`fy_operating_revenue`, `fy_rd_expense_stat`, `fy_rd_deduction_scope`, `fy_rd_hnte_total`,
    `fy_tech_staff`) and the contradiction flags `holds_high_tech`, `holds_tech_sme`,
    `is_contradiction`; contradictions first, then by revenue, largest first.
    """
    spec = filter_spec if isinstance(filter_spec, ZeroRdSpec) else ZeroRdSpec.from_dict(filter_spec)
    figures = AnnualFigure.objects.filter(
        enterprise=OuterRef("pk"), year=spec.year, is_above_scale_industrial=True
    )
    zero = figures.filter(Q(rd_expense_stat__isnull=True) | Q(rd_expense_stat=0))
    high_tech, tech_sme = _contradiction(spec.year)
    qs = (
        Enterprise.objects.for_user(user)
        .filter(Exists(zero))
        .select_related("town")
        .annotate(
            holds_high_tech=high_tech,
            holds_tech_sme=tech_sme,
        )
        .annotate(
            is_contradiction=ExpressionWrapper(
                Q(holds_high_tech=True) | Q(holds_tech_sme=True), output_field=BooleanField()
            )
        )
    )
    for name, field in [
        ("fy_operating_revenue", "operating_revenue"),
        ("fy_rd_expense_stat", "rd_expense_stat"),
        ("fy_rd_deduction_scope", "rd_deduction_scope"),
        ("fy_rd_hnte_total", "rd_hnte_total"),
        ("fy_tech_staff", "tech_staff_year_end"),
    ]:
        qs = qs.annotate(**{name: Subquery(figures.values(field)[:1])})
    if spec.town:
        qs = qs.filter(town_id=spec.town)
    if spec.industry:
        qs = qs.filter(industry_code__startswith=spec.industry)
    if spec.contradiction_only:
        qs = qs.filter(Q(holds_high_tech=True) | Q(holds_tech_sme=True))
    return qs.order_by(
        F("is_contradiction").desc(), F("fy_operating_revenue").desc(nulls_last=True), "name"
    )


def without_visit_task(rows: QuerySet, year: int) -> QuerySet:
    """The zero-R&D rows of `year` nobody has been sent to yet: no visit task due on or after
    1 January of the following year, when the year's statistics are known (docs/rnd.md#zero-rd-lists).
    The tasks are read through the enterprise's reverse relation, without importing them."""
    return rows.exclude(visit_tasks__due_date__gte=dt.date(year + 1, 1, 1))
