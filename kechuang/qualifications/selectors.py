"""Reads for the qualification engine: rule sets, the batch frame, single cases, stored runs.

Both faces of the engine read the same registry data:

* :func:`assessment_frame` builds the Polars batch frame of a year in a few bulk queries
  (``values_list``), converting yuan ``Decimal`` → Int64 fen exactly and average headcounts
  into the engine's units of 1/5,544,000 person;
* :func:`enterprise_case` builds the offline-interface case (money in 万元) of one enterprise for the
  assessment page and the what-if panel.

What the registry does not hold (incidents, credit lists, catalogue and field flags, awards,
standards, expert points, conversions) stays absent = unknown (docs/qualification-rules.md#unknown-is-not-zero), never zero.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

import polars as pl
from django.db import connections
from django.db.models import (
    BigIntegerField,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    Q,
    Value,
)
from django.db.models.functions import Cast, Round

from kechuang.core.datacache import memoised
from kechuang.core.formatting import WAN
from kechuang.enterprises.choices import (
    IP_CLASS_BY_KIND,
    IPClass,
    IPStatus,
    QualificationKind,
    QualificationStatus,
)
from kechuang.enterprises.models import (
    AnnualFigure,
    Enterprise,
    IntellectualProperty,
    Qualification,
)
from kechuang.imports.bulk import read_queryset

from .logic import RuleSet as LogicRuleSet
from .logic.batch import INPUT_SCHEMA, PERSON_AVG_SCALE
from .logic.certificates import add_years
from .logic.rulesets import _parse as parse_ruleset_data
from .models import AssessmentResult, AssessmentRun, RuleSet, RunStatus

__all__ = [
    "evaluation_date_for",
    "ruleset_rows",
    "ruleset_in_force",
    "logic_ruleset",
    "assessment_frame",
    "enterprise_case",
    "held_tiers",
    "highest_tier_by_enterprise",
    "data_as_of",
    "latest_run",
    "run_is_current",
    "run_state",
    "available_assessment_years",
]

FEN_PER_YUAN = 100
YUAN_PER_WAN = WAN
# Fields the engine reads from AnnualFigure: (engine key, model field, kind).
FIGURE_FIELDS = [
    ("sales_revenue", "sales_revenue", "money"),
    ("rd_expense_hnte", "rd_hnte_total", "money"),
    ("rd_expense_hnte_domestic", "rd_hnte_domestic", "money"),
    ("total_assets", "total_assets", "money"),
    ("total_liabilities", "total_liabilities", "money"),
    ("total_income", "total_income", "money"),
    ("non_taxable_income", "non_taxable_income", "money"),
    ("hightech_income", "hightech_income", "money"),
    ("total_cost_expense", "total_cost_expense", "money"),
    ("rd_expense_deduction_scope", "rd_deduction_scope", "money"),
    ("employees_avg", "employees_avg", "avg"),
    ("tech_staff_avg", "tech_staff_avg", "avg"),
    ("employees_total", "employees_year_end", "count"),
    ("tech_staff", "tech_staff_year_end", "count"),
]
CLASS1 = [k for k, c in IP_CLASS_BY_KIND.items() if c == IPClass.CLASS_I]
CLASS2 = [k for k, c in IP_CLASS_BY_KIND.items() if c == IPClass.CLASS_II]
PROVINCIAL_RD_LEVELS = (
    "provincial_high_tech_rd_centre",
    "provincial_enterprise_research_institute",
    "provincial_key_enterprise_research_institute",
)
# Qualification kind held for each evaluated tier (held = in force on 31 December).
TIER_KIND = {
    "tech_sme_national": QualificationKind.NATIONAL_TECH_SME,
    "high_tech": QualificationKind.HIGH_TECH,
    "tech_sme_provincial": QualificationKind.PROVINCIAL_TECH_SME,
    "cultivation": QualificationKind.MUNICIPAL_CULTIVATION,
}
# The ladder, lowest rung first (docs/qualification-rules.md#ladder-and-evaluation-order).
LADDER = [
    QualificationKind.PROVINCIAL_TECH_SME,
    QualificationKind.NATIONAL_TECH_SME,
    QualificationKind.MUNICIPAL_CULTIVATION,
    QualificationKind.HIGH_TECH,
    QualificationKind.GAZELLE,
    QualificationKind.POTENTIAL_UNICORN,
    QualificationKind.QUASI_UNICORN,
    QualificationKind.UNICORN,
]


def evaluation_date_for(year: int) -> dt.date:
    """Assessment year Y is evaluated on the day after its fiscal year closes (Y+1-01-01)."""
    return dt.date(year + 1, 1, 1)


# ------------------------------------------------------------------ rule sets


def ruleset_rows() -> list[RuleSet]:
    """All rule-set rows, newest first (a read only: the shipped ``logic/rulesets/*.json`` are
    copied into the database by ``services.ruleset_seed`` after every ``migrate``)."""
    return list(RuleSet.objects.order_by("-effective_from"))


def ruleset_in_force(on: dt.date) -> RuleSet:
    """The rule-set row in force on ``on`` (latest ``effective_from <= on``)."""
    for row in ruleset_rows():
        if row.effective_from <= on:
            return row
    raise LookupError(f"no rule set in force on {on.isoformat()}")


def logic_ruleset(row: RuleSet) -> LogicRuleSet:
    """The engine's rule set (exact rationals) from a rule-set row's data."""
    return parse_ruleset_data(row.data)


# ------------------------------------------------------------------ batch frame


def _enterprise_frame(t: dt.date, enterprise_ids: Any = None) -> pl.DataFrame:
    """The enterprises registered by ``t``, in pk order, read straight into a frame."""
    qs = Enterprise.objects.filter(Q(registration_date__isnull=True) | Q(registration_date__lte=t))
    if enterprise_ids is not None:
        qs = qs.filter(pk__in=list(enterprise_ids))
    return read_queryset(
        qs.order_by("pk").values_list(
            "pk", "registration_date", "is_resident_enterprise", "town__region__code"
        ),
        {
            "enterprise_id": pl.Int64,
            "registration_date": pl.Date,
            "is_resident_enterprise": pl.Boolean,
            "region_code": pl.Utf8,
        },
    )


def _engine_units(field: str, kind: str) -> Any:
    """A yearly figure in the engine's integer units, computed by the database: yuan → fen
    (×100) and average headcounts → 1/5,544,000 person, both exact for 2-decimal values."""
    if kind == "count":
        return F(field)
    return Cast(
        Round(ExpressionWrapper(F(field) * Value(_unit_scale(kind)), output_field=DecimalField())),
        BigIntegerField(),
    )


def _unit_scale(kind: str) -> int:
    return FEN_PER_YUAN if kind == "money" else PERSON_AVG_SCALE


def _figures_frame(fig_qs: Any) -> pl.DataFrame:
    """``enterprise_id``, ``year`` and the engine's keys of :data:`FIGURE_FIELDS` in its
    integer units (one query).

    PostgreSQL sends the decimals as they are stored and the frame scales them: exact decimal
    arithmetic, and the server skips a numeric multiply, round and cast per cell, which was
    most of its work for the read (docs/performance.md, "Decimals scaled in the frame").
    SQLite stores decimals as floating-point numbers, so there the database computes the
    integer units from its own decimal text, as before.
    """
    keys = [k for k, _f, _kind in FIGURE_FIELDS]
    ids = {"enterprise_id": pl.Int64, "year": pl.Int64}
    if connections[fig_qs.db].vendor != "postgresql":
        return read_queryset(
            fig_qs.order_by().values_list(
                "enterprise_id", "year", *(_engine_units(f, kind) for _k, f, kind in FIGURE_FIELDS)
            ),
            {**ids, **dict.fromkeys(keys, pl.Int64)},
        )
    schema: dict[str, Any] = dict(ids)
    scaled = []
    for key, name, kind in FIGURE_FIELDS:
        if kind == "count":
            schema[key] = pl.Int64
            continue
        field = AnnualFigure._meta.get_field(name)
        assert isinstance(field, DecimalField)
        schema[key] = pl.Decimal(field.max_digits, field.decimal_places)
        # Widened first so that the product cannot overflow; integral after the scaling,
        # since every stored value has at most two decimals.
        scaled.append(
            (pl.col(key).cast(pl.Decimal(38, field.decimal_places)) * _unit_scale(kind))
            .cast(pl.Int64)
            .alias(key)
        )
    raw = read_queryset(
        fig_qs.order_by().values_list("enterprise_id", "year", *(f for _k, f, _ in FIGURE_FIELDS)),
        schema,
    )
    return raw.with_columns(scaled)


def _ip_counts_query(t: dt.date, enterprise_ids: Any = None) -> Any:
    """(class I, class II, class II not used before) IP valid on ``t`` per enterprise (1 query).

    Counted as in the single face: granted on or before ``t`` (or no grant date), ``t`` before
    the expiry date (if any); applied-for and invalidated items never count.
    """
    valid = (Q(grant_date__isnull=True) | Q(grant_date__lte=t)) & (
        Q(expiry_date__isnull=True) | Q(expiry_date__gt=t)
    )
    unused = Q(used_in_hnte_application_year__isnull=True) | Q(
        used_in_hnte_application_year__gte=t.year
    )
    qs = IntellectualProperty.objects.filter(valid).exclude(
        status__in=[IPStatus.APPLIED, IPStatus.INVALIDATED]
    )
    if enterprise_ids is not None:
        qs = qs.filter(enterprise_id__in=list(enterprise_ids))
    rows = (
        qs.order_by()
        .values("enterprise_id")
        .annotate(
            c1=Count("pk", filter=Q(kind__in=CLASS1)),
            c2=Count("pk", filter=Q(kind__in=CLASS2)),
            c2u=Count("pk", filter=Q(kind__in=CLASS2) & unused),
        )
        .values_list("enterprise_id", "c1", "c2", "c2u")
    )
    return rows


def _certificates(enterprise_ids: Any = None) -> dict[int, list[dict[str, Any]]]:
    """High-tech certificates per enterprise (issue and revocation dates), one query."""
    qs = Qualification.objects.filter(kind=QualificationKind.HIGH_TECH)
    if enterprise_ids is not None:
        qs = qs.filter(enterprise_id__in=list(enterprise_ids))
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for e, number, issue, revoked, status in qs.order_by().values_list(
        "enterprise_id", "number", "issue_date", "revoked_date", "status"
    ):
        if status == QualificationStatus.REVOKED and revoked is None:
            revoked = issue  # revoked without a date: never counts
        out[e].append(
            {"kind": "high_tech", "number": number, "issue_date": issue, "revoked_date": revoked}
        )
    return out


def _provincial_rd(year: int, enterprise_ids: Any = None) -> set[int]:
    from kechuang.platforms.models import InstitutionStatus, RDInstitution

    qs = RDInstitution.objects.filter(
        level__in=PROVINCIAL_RD_LEVELS, year_recognised__lte=year
    ).exclude(status=InstitutionStatus.REVOKED)
    if enterprise_ids is not None:
        qs = qs.filter(enterprise_id__in=list(enterprise_ids))
    return set(qs.values_list("enterprise_id", flat=True))


# Declarations on the yearly figures (null = not declared = unknown) → engine inputs.
DECLARATION_FIELDS = [
    "incident_reported",
    "credit_listed",
    "in_restricted_catalogue",
    "core_tech_in_supported_fields",
]


def _declarations(year: int, enterprise_ids: Any = None) -> Any:
    qs = AnnualFigure.objects.filter(year=year)
    if enterprise_ids is not None:
        qs = qs.filter(enterprise_id__in=list(enterprise_ids))
    return qs.order_by().values_list("enterprise_id", *DECLARATION_FIELDS)


def _declarations_frame(year: int, enterprise_ids: Any = None) -> pl.DataFrame:
    """The base year's declarations as engine columns (one query).

    An incident declared for the base year falls both in "the previous and the current year"
    (C4, 115号 第六条) and in "the 365 days before the application" (H8, 32号 第十一条(八)) of an evaluation on
    1 January of the next year; the credit-list declaration covers both lists.
    """
    declared = read_queryset(
        _declarations(year, enterprise_ids),
        {"enterprise_id": pl.Int64, **dict.fromkeys(DECLARATION_FIELDS, pl.Boolean)},
    )
    return declared.select(
        "enterprise_id",
        pl.col("incident_reported").alias("incident_c4"),
        pl.col("incident_reported").alias("incident_h8"),
        pl.col("credit_listed").alias("credit_abnormal_operation"),
        pl.col("credit_listed").alias("credit_serious_dishonesty"),
        pl.col("in_restricted_catalogue").alias("product_in_prohibited_catalogue"),
        "core_tech_in_supported_fields",
    )


def _case_declarations(year: int, enterprise_id: int) -> dict[str, Any]:
    """The same declarations in the case shape (keys omitted when not declared)."""
    rows = list(_declarations(year, [enterprise_id]))
    if not rows:
        return {}
    _e, incident, credit, catalogue, core = rows[0]
    out: dict[str, Any] = {"flags": {}}
    if incident is not None:
        out["incidents"] = [{"date": f"{year}-06-30", "kind": "major_safety"}] if incident else []
    if credit is not None:
        out["credit_flags"] = {"abnormal_operation_list": credit, "serious_dishonesty_list": credit}
    if catalogue is not None:
        out["flags"]["product_in_prohibited_restricted_eliminated_catalogue"] = catalogue
    if core is not None:
        out["flags"]["core_tech_in_supported_fields"] = core
    return out


def _figure_years(t: dt.date, rs: LogicRuleSet) -> tuple[int, list[int]]:
    a = t.year
    return a + int(rs.v("tsn.base_year_offset")), [a - 3, a - 2, a - 1]


def assessment_frame(
    year: int,
    *,
    evaluation_date: dt.date | None = None,
    ruleset: LogicRuleSet | None = None,
    enterprise_ids: Any = None,
) -> pl.DataFrame:
    """The engine's batch frame (:data:`logic.batch.INPUT_SCHEMA`) for assessment year ``year``.

    One row per enterprise registered by the evaluation date (``id`` = enterprise pk as text).
    Five queries: enterprises, yearly figures of the four years the rules read, IP counts,
    high-tech certificates, provincial R&D institutions. Unknown stays null.
    """
    t = evaluation_date or evaluation_date_for(year)
    if ruleset is None:
        ruleset = logic_ruleset(ruleset_in_force(t))
    base_year, (y1, y2, y3) = _figure_years(t, ruleset)
    ents = _enterprise_frame(t, enterprise_ids)
    if ents.height == 0:
        return pl.DataFrame(schema=INPUT_SCHEMA)
    ids = ents.get_column("enterprise_id").to_list()
    scope_ids = None if enterprise_ids is None else ids
    fig_qs = AnnualFigure.objects.filter(year__in={base_year, y1, y2, y3})
    if scope_ids is not None:
        fig_qs = fig_qs.filter(enterprise_id__in=scope_ids)
    figs = _figures_frame(fig_qs)

    def year_cols(y: int, mapping: dict[str, str]) -> pl.DataFrame:
        sel = figs.filter(pl.col("year") == y)
        exprs = [pl.col("enterprise_id")]
        for out, expr in mapping.items():
            exprs.append((pl.col(expr) if isinstance(expr, str) else expr).alias(out))
        return sel.select(exprs)

    net = pl.col("total_assets") - pl.col("total_liabilities")
    frame = ents.select(
        "enterprise_id",
        pl.col("enterprise_id").cast(pl.Utf8).alias("id"),
        "registration_date",
        "is_resident_enterprise",
        pl.col("region_code").fill_null("").str.starts_with("33").alias("registered_in_zhejiang"),
    )
    parts = [
        year_cols(
            base_year,
            {
                "base_employees_total": "employees_total",
                "base_tech_staff": "tech_staff",
                "base_sales_revenue_fen": "sales_revenue",
                "base_total_assets_fen": "total_assets",
                "base_total_cost_expense_fen": "total_cost_expense",
                "base_rd_deduction_fen": "rd_expense_deduction_scope",
            },
        )
    ]
    for i, y in enumerate((y1, y2, y3), start=1):
        mapping: dict[str, Any] = {
            f"y{i}_sales_revenue_fen": "sales_revenue",
            f"y{i}_rd_expense_hnte_fen": "rd_expense_hnte",
            f"y{i}_rd_expense_hnte_domestic_fen": "rd_expense_hnte_domestic",
            f"y{i}_net_assets_fen": net,
        }
        if i == 3:
            mapping.update(
                {
                    "y3_total_income_fen": "total_income",
                    "y3_non_taxable_income_fen": "non_taxable_income",
                    "y3_hightech_income_fen": "hightech_income",
                    "y3_employees_avg_u": "employees_avg",
                    "y3_tech_staff_avg_u": "tech_staff_avg",
                }
            )
        parts.append(year_cols(y, mapping))
    for part in parts:
        frame = frame.join(part, on="enterprise_id", how="left")

    frame = frame.join(_declarations_frame(base_year, scope_ids), on="enterprise_id", how="left")

    ip_frame = read_queryset(
        _ip_counts_query(t, scope_ids),
        {
            "enterprise_id": pl.Int64,
            "ip_class1_count": pl.Int64,
            "ip_class2_count": pl.Int64,
            "ip_class2_unused_count": pl.Int64,
        },
    )
    frame = frame.join(ip_frame, on="enterprise_id", how="left").with_columns(
        # The IP ledger is the registry's own record: no row means no IP (not unknown).
        pl.col("ip_class1_count", "ip_class2_count", "ip_class2_unused_count").fill_null(0)
    )
    # The registry records no acquisition mode: any usable item leaves it unknown.
    frame = frame.with_columns(
        pl.when(pl.col("ip_class1_count") + pl.col("ip_class2_unused_count") > 0)
        .then(None)
        .otherwise(False)
        .cast(pl.Boolean)
        .alias("ip_self_developed")
    )

    years = int(ruleset.v("ht.certificate_validity_years"))
    certs = _certificates(scope_ids)
    valid_ids = {
        e
        for e, items in certs.items()
        for c in items
        if c["issue_date"] <= t < add_years(c["issue_date"], years)
        and (c["revoked_date"] is None or c["revoked_date"] > t)
    }
    rd_ids = _provincial_rd(t.year - 1, scope_ids)
    frame = frame.with_columns(
        pl.col("enterprise_id").is_in(list(valid_ids)).alias("hnte_cert_valid"),
        pl.when(pl.col("enterprise_id").is_in(list(rd_ids)))
        .then(True)
        .otherwise(False)
        .alias("has_recognised_provincial_or_ministerial_rd_institution"),
        pl.lit(t, dtype=pl.Date).alias("application_date"),
    )
    missing = [pl.lit(None, dtype=d).alias(n) for n, d in INPUT_SCHEMA.items() if n not in frame]
    return (
        frame.with_columns(missing)
        .select(["enterprise_id", *INPUT_SCHEMA])
        .cast({n: d for n, d in INPUT_SCHEMA.items()})
    )


# ------------------------------------------------------------------ single case


def _wan(value: Decimal | None) -> Decimal | None:
    return None if value is None else value / YUAN_PER_WAN


def enterprise_case(
    enterprise: Enterprise,
    year: int,
    *,
    evaluation_date: dt.date | None = None,
    ruleset: LogicRuleSet | None = None,
) -> dict[str, Any]:
    """The case of one enterprise for assessment year ``year`` (money in 万元, Decimal).

    Built from the same registry data as :func:`assessment_frame`, so both faces agree.
    """
    t = evaluation_date or evaluation_date_for(year)
    if ruleset is None:
        ruleset = logic_ruleset(ruleset_in_force(t))
    base_year, fy_years = _figure_years(t, ruleset)
    names = [f for _k, f, _kind in FIGURE_FIELDS]
    fiscal_years: dict[str, dict[str, Any]] = {}
    for row in enterprise.annual_figures.filter(year__in={base_year, *fy_years}).values_list(
        "year", *names
    ):
        rec: dict[str, Any] = {}
        for (key, _f, kind), value in zip(FIGURE_FIELDS, row[1:], strict=True):
            if value is None:
                continue
            rec[key] = _wan(value) if kind == "money" else value
        fiscal_years[str(row[0])] = rec
    ip_assets = []
    for kind, grant, expiry, used, _status in enterprise.ip_assets.exclude(
        status__in=[IPStatus.APPLIED, IPStatus.INVALIDATED]
    ).values_list("kind", "grant_date", "expiry_date", "used_in_hnte_application_year", "status"):
        ip_assets.append(
            {
                "kind": kind,
                "grant_date": grant.isoformat() if grant else None,
                "expiry_date": expiry.isoformat() if expiry else None,
                "used_in_hnte_application_year": used,
            }
        )
    certificates = [
        {
            "kind": c["kind"],
            "number": c["number"],
            "issue_date": c["issue_date"].isoformat(),
            "revoked_date": c["revoked_date"].isoformat() if c["revoked_date"] else None,
        }
        for c in _certificates([enterprise.pk]).get(enterprise.pk, [])
    ]
    region_code = enterprise.town.region.code if enterprise.town_id else ""
    declared = _case_declarations(base_year, enterprise.pk)
    case = {
        "id": str(enterprise.pk),
        "application_date": t.isoformat(),
        "registration_date": (
            enterprise.registration_date.isoformat() if enterprise.registration_date else None
        ),
        "is_resident_enterprise": enterprise.is_resident_enterprise,
        "fiscal_years": fiscal_years,
        "ip_assets": ip_assets,
        "certificates": certificates,
        "flags": {
            "registered_in_zhejiang": region_code.startswith("33"),
            "has_recognised_provincial_or_ministerial_rd_institution": enterprise.pk
            in _provincial_rd(t.year - 1, [enterprise.pk]),
            **declared.pop("flags", {}),
        },
    }
    case.update(declared)
    return case


# ------------------------------------------------------------------ held tiers


def held_tiers(year: int, enterprise_ids: Any = None) -> dict[str, set[int]]:
    """Enterprises holding each ladder kind at the end of ``year`` (one query).

    National tech-SME registrations count for their own year only (docs/qualification-rules.md#registration-per-year); the other
    kinds count when in force on 31 December (issued, not expired, not revoked).
    """
    end = dt.date(year, 12, 31)
    qs = Qualification.objects.filter(issue_date__lte=end)
    if enterprise_ids is not None:
        qs = qs.filter(enterprise_id__in=list(enterprise_ids))
    out: dict[str, set[int]] = defaultdict(set)
    for e, kind, y, expiry, revoked, status in qs.order_by().values_list(
        "enterprise_id", "kind", "year", "expiry_date", "revoked_date", "status"
    ):
        if revoked is not None and revoked <= end:
            continue
        if status == QualificationStatus.REVOKED and revoked is None:
            continue
        if kind == QualificationKind.NATIONAL_TECH_SME:
            if y == year:
                out[kind].add(e)
        elif kind in (
            QualificationKind.GAZELLE,
            QualificationKind.POTENTIAL_UNICORN,
            QualificationKind.QUASI_UNICORN,
            QualificationKind.UNICORN,
        ):
            if y == year:
                out[kind].add(e)
        elif expiry is None or expiry >= end:
            out[kind].add(e)
    return out


def highest_tier_by_enterprise(year: int, enterprise_ids: Any = None) -> dict[int, str]:
    """The highest ladder rung each enterprise holds at the end of ``year``."""
    held = held_tiers(year, enterprise_ids)
    out: dict[int, str] = {}
    for kind in LADDER:  # lowest first: higher rungs overwrite
        for e in held.get(kind, ()):
            out[e] = kind
    return out


# ------------------------------------------------------------------ runs and staleness


def _relevant_figure_years(year: int) -> list[int]:
    """Fiscal years an assessment of ``year`` reads (Y-2..Y, and the base year Y)."""
    return [year - 2, year - 1, year]


def data_as_of(year: int) -> dt.datetime | None:
    """Newest ``updated_at`` of the enterprise data an assessment of ``year`` depends on."""
    stamps = [
        AnnualFigure.objects.filter(year__in=_relevant_figure_years(year)).aggregate(
            m=Max("updated_at")
        )["m"],
        IntellectualProperty.objects.aggregate(m=Max("updated_at"))["m"],
        Qualification.objects.aggregate(m=Max("updated_at"))["m"],
        Enterprise.objects.aggregate(m=Max("updated_at"))["m"],
    ]
    stamps = [s for s in stamps if s is not None]
    return max(stamps) if stamps else None


def latest_run(year: int) -> AssessmentRun | None:
    """The newest finished run of ``year`` (current or not)."""
    return (
        AssessmentRun.objects.filter(year=year, status=RunStatus.DONE)
        .select_related("rule_set", "created_by")
        .order_by("-created_at", "-pk")
        .first()
    )


def run_state(run: AssessmentRun | None) -> dict[str, Any]:
    """Whether ``run`` may be shown as current, and why not.

    A run is current only if (1) the data-changed hook has not marked it stale, (2) its rule
    set was not edited since, and (3) — the safety net for writes that bypass the services —
    no figure, IP item, qualification or enterprise it depends on was updated after it read
    the data.
    """
    if run is None:
        return {"current": False, "reason": "missing", "changed_at": None}
    if run.stale_at is not None:
        return {"current": False, "reason": "data_changed", "changed_at": run.stale_at}
    revision, edited = (
        RuleSet.objects.filter(pk=run.rule_set_id).values_list("revision", "updated_at").get()
    )
    if revision != run.rule_set_revision:
        return {"current": False, "reason": "rules_changed", "changed_at": edited}
    newest = data_as_of(run.year)
    if newest is not None and run.data_as_of is not None and newest > run.data_as_of:
        return {"current": False, "reason": "data_changed", "changed_at": newest}
    return {"current": True, "reason": "", "changed_at": None}


def run_is_current(run: AssessmentRun | None) -> bool:
    return run_state(run)["current"]


def _years_with_figures() -> list[int]:
    return sorted(set(AnnualFigure.objects.order_by().values_list("year", flat=True).distinct()))


def available_assessment_years() -> list[int]:
    """Years with yearly figures (the years that can be assessed), ascending; reused while the
    data version is unchanged (the distinct scan reads every yearly row)."""
    return list(memoised("assessment_years", _years_with_figures))


def results_for(run: AssessmentRun, user: Any) -> Any:
    """Stored results of ``run`` the user may see."""
    return AssessmentResult.objects.for_user(user).filter(run=run)
