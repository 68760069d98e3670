"""Reads behind the qualification pages (ladder, reserve pool, result cells, risks, one
enterprise's assessment), each limited to the reader's scope, and the reserve-pool workbook.

The views only choose the page and render; every query and chart of these pages lives here.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from kechuang.core.access import scope_for
from kechuang.core.datacache import memoised
from kechuang.core.excel import header_row, workbook_bytes
from kechuang.core.permissions import get_object_for_user
from kechuang.enterprises.choices import UNICORN_TIERS, QualificationKind
from kechuang.enterprises.models import Enterprise, Qualification
from kechuang.enterprises.selectors import qualification_validity, valid_high_tech_series

from .cells import AT_RISK, CELLS, cell_counts
from .charts import bar_line_chart, ladder_bar_chart, sankey_chart
from .display import NUMERIC_CONDITIONS, condition_label, gap_text
from .forms import EVALUATED_TIERS
from .logic.certificates import add_months
from .models import AssessmentResult, AssessmentRun, ResultStatus, RunStatus, Tier
from .selectors import LADDER, highest_tier_by_enterprise
from .services import STORED_TIERS

__all__ = [
    "TIER_RANK",
    "STATUS_RANK",
    "unfinished_run",
    "scoped_results",
    "newest_results",
    "ladder_rows",
    "ladder_bar",
    "tier_movement",
    "valid_high_tech_trend",
    "reserve_rules",
    "reserve_queryset",
    "reserve_rows",
    "reserve_shortlist_ids",
    "reserve_workbook",
    "cell_results",
    "at_risk_holders",
    "expiring_certificates",
    "enterprise_for",
    "stored_results",
]

TIER_RANK = Case(
    *[When(tier=key, then=Value(i)) for i, (key, _label) in enumerate(EVALUATED_TIERS)],
    default=Value(9),
    output_field=IntegerField(),
)
STATUS_RANK = Case(
    When(status="pass", then=Value(0)),
    When(status="borderline", then=Value(1)),
    When(status="unknown", then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def unfinished_run(year: int) -> AssessmentRun | None:
    """The newest run of `year` still queued or running (None when the newest is done)."""
    newest = (
        AssessmentRun.objects.filter(year=year)
        .exclude(status=RunStatus.FAILED)
        .only("status", "created_at")
        .order_by("-created_at", "-pk")
        .first()
    )
    return newest if newest is not None and newest.status != RunStatus.DONE else None


def scoped_results(user, run) -> QuerySet:
    """Results of `run` the user may read: leaders read region-wide aggregates only."""
    qs = AssessmentResult.objects.filter(run=run)
    if scope_for(user, "ladder.view").all:
        return qs
    return qs.for_user(user)


def newest_results(user) -> QuerySet:
    """Stored results of each year's newest finished run that the user may read (the API)."""
    newest = (
        AssessmentRun.objects.filter(status=RunStatus.DONE).values("year").annotate(m=Max("pk"))
    )
    return (
        AssessmentResult.objects.for_user(user)
        .filter(run_id__in=[r["m"] for r in newest])
        .select_related("run", "run__rule_set", "enterprise")
        .order_by("-run__year", "enterprise_id", "tier")
    )


# ------------------------------------------------------------------ ladder


def _run_cells(run_pk: int) -> dict[str, dict[str, int]]:
    return cell_counts(AssessmentResult.objects.filter(run_id=run_pk))


def ladder_rows(user, run, year: int, links: bool) -> list[dict]:
    """Per evaluated tier: held, meets, borderline, … with the links to the cells' results."""
    if run is None:
        return []
    # A run's results never change once it is done: region-wide, its counts are reused while
    # the data version is unchanged (one pass over the run's results per change, not one per
    # request).
    by_tier = (
        memoised("ladder_cells", _run_cells, run.pk)
        if scope_for(user, "ladder.view").all
        else cell_counts(scoped_results(user, run))
    )
    results_url = reverse("qualifications:assessment_results")
    risks = reverse("qualifications:risk_list")
    rows = []
    for tier, label in EVALUATED_TIERS:
        a = by_tier.get(tier)
        if a is None:
            continue
        urls = {
            key: f"{results_url}?year={year}&tier={tier}&cell={key}"
            for key in CELLS
            if key != "at_risk"
        }
        urls["at_risk"] = f"{risks}?year={year}&tier={tier}"
        rows.append(
            {"tier": tier, "label": label, **a, "n_held": a["held"], "urls": urls if links else {}}
        )
    return rows


def ladder_bar(rows: list[dict], year: int) -> dict | None:
    if not rows:
        return None
    return ladder_bar_chart(
        title=_("Held and assessed, by tier (%(year)s)") % {"year": year},
        tiers=[r["label"] for r in rows],
        series={
            _("Held"): [r["n_held"] for r in rows],
            _("Meets the rules"): [r["passed"] for r in rows],
            _("Borderline"): [r["borderline"] for r in rows],
            _("Meets every condition on record"): [r["pending"] for r in rows],
            _("Fails a condition"): [r["failing"] for r in rows],
        },
        unit=_("enterprises"),
    )


def _scope_ids(user) -> list[int] | None:
    if scope_for(user, "ladder.view").all:
        return None
    return list(Enterprise.objects.for_user(user).values_list("pk", flat=True))


def _tier_flows(year: int, scope_ids: list[int] | None = None) -> dict[tuple[str, str], int]:
    """(highest kind held at the end of year - 1, at the end of year) -> number of
    enterprises; "" for none."""
    before = highest_tier_by_enterprise(year - 1, scope_ids)
    after = highest_tier_by_enterprise(year, scope_ids)
    return dict(
        Counter((before.get(e, ""), after.get(e, "")) for e in before.keys() | after.keys())
    )


def tier_movement(user, year: int) -> dict:
    """Movement between tiers (highest rung held at each year end) as a Sankey chart, with the
    numbers of enterprises that moved up and down."""
    scope_ids = _scope_ids(user)
    # Region-wide, the flows are reused while the data version is unchanged (one ladder
    # computation per change at province scale, not one per request).
    kind_flows = (
        memoised("tier_flows", _tier_flows, year)
        if scope_ids is None
        else _tier_flows(year, scope_ids)
    )
    # The four unicorn-type titles are merged into one node (tiny flows would overlap).
    growth_label = str(_("Unicorn-type tiers"))
    labels = {k.value: (growth_label if k in UNICORN_TIERS else str(k.label)) for k in LADDER}
    none_label = str(_("No tier"))
    flows: dict[tuple[str, str], int] = {}
    for (b, a), n in kind_flows.items():
        key = (labels.get(b, none_label), labels.get(a, none_label))
        flows[key] = flows.get(key, 0) + n
    order = list(dict.fromkeys([none_label] + [labels[k.value] for k in LADDER]))

    # Node names are unique across the two years ("2023·高企" / "2024·高企"); each side is
    # pinned to its column (depth) and labelled with the tier alone.
    def side(y: int, label: str) -> str:
        return f"{y}·{label}"

    left = [n for n in order if any(s == n for s, _t in flows)]
    right = [n for n in order if any(t == n for _s, t in flows)]
    sankey = sankey_chart(
        title=_("Movement between tiers, %(a)s → %(b)s (highest tier held at year end)")
        % {"a": year - 1, "b": year},
        nodes=[{"name": side(year - 1, n), "label": n, "depth": 0} for n in left]
        + [{"name": side(year, n), "label": n, "depth": 1} for n in right],
        links=[
            {"source": side(year - 1, s), "target": side(year, t), "value": v}
            for (s, t), v in sorted(
                flows.items(), key=lambda kv: (order.index(kv[0][0]), order.index(kv[0][1]))
            )
        ],
        left_label=str(year - 1),
        right_label=str(year),
    )
    return {
        "sankey_option": sankey,
        "moved_up": sum(v for (s, t), v in flows.items() if order.index(t) > order.index(s)),
        "moved_down": sum(v for (s, t), v in flows.items() if order.index(t) < order.index(s)),
    }


def valid_high_tech_trend(user, year: int) -> dict:
    """Valid high-tech enterprises at 31 December of the last five years, on the reader's
    scope (the town officer's town), as the qualification list behind each bar counts them."""
    trend_years = list(range(year - 4, year + 1))
    scope = scope_for(user, "ladder.view")
    quals = None if scope.all else Qualification.objects.all().in_scope(scope)
    valid_ht = valid_high_tech_series(trend_years, quals)
    return bar_line_chart(
        title=_("Valid high-tech enterprises at 31 December, %(a)s–%(b)s")
        % {"a": trend_years[0], "b": trend_years[-1]},
        categories=trend_years,
        bars={
            _("Valid high-tech enterprises"): [
                {"value": valid_ht[y], "key": f"{y}-12-31"} for y in trend_years
            ]
        },
        bar_unit=_("enterprises"),
    )


# ------------------------------------------------------------------ reserve pool


def reserve_rules() -> dict[str, int]:
    """How the shortlist is drawn (settings ``KECHUANG_RESERVE_POOL_SIZE`` and
    ``KECHUANG_RESERVE_MAX_GAPS``)."""
    return {
        "size": int(getattr(settings, "KECHUANG_RESERVE_POOL_SIZE", 100)),
        "max_gaps": int(getattr(settings, "KECHUANG_RESERVE_MAX_GAPS", 2)),
    }


# The reserve pool's rank key and column: the gap size, no gap counting as zero.
GAP_SIZE = Coalesce("gap_cost_wan", Decimal(0))


def reserve_queryset(user, run, data: dict) -> tuple[QuerySet, str, int]:
    """The shortlist: not held, failing only conditions the figures measure (at most
    ``max_gaps`` of them), smallest gap first, at most ``size`` enterprises.

    data: the cleaned filter form ({} when invalid). Returns (rows, tier, eligible count)."""
    tier = data.get("tier") or Tier.HIGH_TECH.value
    rules = reserve_rules()
    conds = next(c for t, _p, c in STORED_TIERS if t == tier)
    qs = (
        AssessmentResult.objects.for_user(user)
        .filter(run=run, tier=tier, held=False, failed_count__lte=rules["max_gaps"])
        .select_related("enterprise", "enterprise__town")
        .annotate(rank=STATUS_RANK, gap_size=GAP_SIZE)
    )
    for cid in conds:
        if cid not in NUMERIC_CONDITIONS[tier]:
            qs = qs.exclude(**{f"conditions__{cid}": "fail"})
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("town"):
        qs = qs.filter(enterprise__town=data["town"])
    if data.get("industry"):
        qs = qs.filter(enterprise__industry_code__startswith=data["industry"])
    if data.get("q"):
        q = data["q"].strip()
        qs = qs.filter(
            Q(enterprise__name__icontains=q) | Q(enterprise__credit_code__icontains=q.upper())
        )
    # The results of a done run never change, so the count (and the shortlist, below) is
    # reused while the data version is unchanged (the filters also read the enterprises).
    eligible = memoised("reserve_eligible", lambda _sql, _params: qs.count(), *_sql_key(qs))
    # Ties (no gap) go to the higher score already secured by the figures.
    qs = qs.order_by(
        "gap_size",
        "failed_count",
        "rank",
        F("score_min").desc(nulls_last=True),
        "unknown_count",
        "enterprise__name",
    )
    return qs[: rules["size"]], tier, eligible


def _sql_key(qs: QuerySet) -> tuple[str, tuple]:
    sql, params = qs.query.sql_with_params()
    return sql, tuple(params)


def reserve_shortlist_ids(qs: QuerySet) -> list[int]:
    """The primary keys of the shortlist ``qs`` (from :func:`reserve_queryset`), in rank order;
    reused while the data version is unchanged."""
    ids = qs.values_list("pk", flat=True)
    return memoised("reserve_shortlist", lambda _sql, _params: list(ids), *_sql_key(ids))


def reserve_rows(ids: list[int]) -> list[AssessmentResult]:
    """The results ``ids`` (a page of the shortlist) with what the page shows, in that order."""
    rows = AssessmentResult.objects.filter(pk__in=ids).select_related(
        "enterprise", "enterprise__town"
    )
    by_pk = {r.pk: r for r in rows.annotate(gap_size=GAP_SIZE)}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def reserve_workbook(qs) -> bytes:
    """The shortlist as an Excel workbook (one row per candidate, in rank order)."""
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = _("Reserve pool")[:31]
    headers = [
        _("Rank"),
        _("Enterprise"),
        _("Credit code"),
        _("Town/street"),
        _("Industry code"),
        _("Status"),
        _("Failed conditions"),
        _("Conditions lacking data"),
        _("Gaps"),
        _("Gap size (10,000 yuan equivalent)"),
    ]
    header_row(ws, headers, widths=(6, 36, 22, 14, 10, 12, 16, 18, 70, 14))
    for i, r in enumerate(qs.iterator(chunk_size=2000), start=1):
        ws.append(
            [
                i,
                r.enterprise.name,
                r.enterprise.credit_code,
                r.enterprise.town.name,
                r.enterprise.industry_code,
                str(ResultStatus(r.status).label),
                "、".join(condition_label(c) for c, s in r.conditions.items() if s == "fail"),
                "、".join(condition_label(c) for c, s in r.conditions.items() if s == "unknown"),
                "；".join(gap_text(g) for g in r.gaps),
                float(r.gap_cost_wan) if r.gap_cost_wan is not None else None,
            ]
        )
    return workbook_bytes(wb)


# ------------------------------------------------------------------ cells and risks


def cell_results(user, run, tier: str, cell: str) -> QuerySet:
    """The results behind one cell of the ladder table (same filter, same scope)."""
    return (
        scoped_results(user, run)
        .filter(CELLS[cell][1], tier=tier)
        .select_related("enterprise", "enterprise__town")
        .annotate(rank=STATUS_RANK)
        .order_by("rank", "failed_count", "enterprise__name", "pk")
    )


def at_risk_holders(user, run, tier: str) -> QuerySet:
    """Holders of a tier that no longer meet its rules (all evaluated tiers when `tier` is
    not one of them)."""
    qs = (
        AssessmentResult.objects.for_user(user)
        .filter(AT_RISK, run=run)
        .select_related("enterprise", "enterprise__town")
        .annotate(tier_rank=TIER_RANK)
        .order_by("tier_rank", "-failed_count", F("gap_cost_wan").desc(nulls_last=True), "pk")
    )
    if tier in dict(EVALUATED_TIERS):
        qs = qs.filter(tier=tier)
    return qs


def expiring_certificates(user, ref) -> list[dict]:
    """High-tech certificates in force on `ref` that end within 12 months and have not been
    renewed, soonest first ("window": 6 or 12 months)."""
    horizon6, horizon12 = add_months(ref, 6), add_months(ref, 12)
    later = Qualification.objects.filter(
        enterprise=OuterRef("enterprise"),
        kind=QualificationKind.HIGH_TECH,
        issue_date__gt=OuterRef("issue_date"),
    )
    certs = (
        Qualification.objects.for_user(user)
        .filter(kind=QualificationKind.HIGH_TECH, issue_date__lte=ref, expiry_date__lt=horizon12)
        .exclude(expiry_date__lt=ref)
        .annotate(renewed=Exists(later))
        .filter(renewed=False)
        .select_related("enterprise", "enterprise__town")
    )
    expiring = [
        {
            "q": c,
            "end": c.expiry_date,
            "days": (c.expiry_date - ref).days,
            "window": 6 if c.expiry_date < horizon6 else 12,
        }
        for c in certs
        if qualification_validity(c, ref) == "valid"
    ]
    expiring.sort(key=lambda x: x["days"])
    return expiring


# ------------------------------------------------------------------ one enterprise


def enterprise_for(user, pk: int) -> Enterprise:
    """The enterprise `pk` inside the user's scope (404 otherwise)."""
    return get_object_for_user(
        Enterprise.objects.select_related("town", "town__region"), user, pk=pk
    )


def stored_results(run, enterprise) -> dict:
    """The stored results of `enterprise` in `run`, by tier."""
    if run is None:
        return {}
    return {r.tier: r for r in AssessmentResult.objects.filter(run=run, enterprise=enterprise)}
