"""HTML views of the qualification engine: ladder, reserve pool, risks, assessments, rules."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from kechuang.core.access import can, requires, scope_for
from kechuang.core.excel import header_row, workbook_bytes
from kechuang.core.permissions import get_object_for_user
from kechuang.core.views import xlsx_response
from kechuang.core.years import selected_year
from kechuang.enterprises.choices import UNICORN_TIERS, QualificationKind
from kechuang.enterprises.models import Enterprise, Qualification
from kechuang.enterprises.selectors import (
    qualification_validity,
    valid_high_tech_series,
    validity_date,
)
from kechuang.imports.recovery import sweep_stale_quietly

from .cells import AT_RISK, CELLS, cell_counts
from .charts import bar_line_chart, ladder_bar_chart, sankey_chart
from .display import (
    EXPERT_CONDITIONS,
    NUMERIC_CONDITIONS,
    STATUS_BADGE,
    basis_label,
    condition_label,
    gap_text,
    official_clause,
    pending_label,
    rule_operator_text,
    rule_unit_hint,
    rule_value_text,
    tier_cards,
)
from .forms import EVALUATED_TIERS, ReserveFilterForm, RuleSetForm, WhatIfForm
from .logic import evaluate_case
from .logic.certificates import add_months
from .models import AssessmentResult, AssessmentRun, ResultStatus, RuleSet, RunStatus, Tier
from .selectors import (
    LADDER,
    available_assessment_years,
    enterprise_case,
    evaluation_date_for,
    highest_tier_by_enterprise,
    latest_run,
    logic_ruleset,
    ruleset_in_force,
    ruleset_rows,
    run_state,
)
from .services import STORED_TIERS, ruleset_update
from .tasks import assess_year
from .whatif import GAP_INPUTS, apply_whatif, ip_counts, last_year_record

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


# ------------------------------------------------------------------ shared helpers


def _year(request) -> tuple[int, list[int]]:
    years = available_assessment_years()
    return selected_year(request, years), years


def _run_context(request, year: int) -> dict:
    sweep_stale_quietly()
    run = latest_run(year)
    state = run_state(run)
    newest = (
        AssessmentRun.objects.filter(year=year)
        .exclude(status=RunStatus.FAILED)
        .only("status", "created_at")
        .order_by("-created_at", "-pk")
        .first()
    )
    return {
        "run": run,
        "run_state": state,
        "active_run": newest if newest is not None and newest.status != RunStatus.DONE else None,
        "can_rerun": can(request.user, "assessment.run"),
        "rerun_next": request.get_full_path(),
        "year": year,
    }


def _scoped_results(request, run):
    """Results of ``run`` the user may read: leaders read region-wide aggregates only."""
    qs = AssessmentResult.objects.filter(run=run)
    if scope_for(request.user, "ladder.view").all:
        return qs
    return qs.for_user(request.user)


# ------------------------------------------------------------------ ladder


@requires("ladder.view")
def ladder(request):
    """Per tier: held vs meets vs borderline; movement between tiers; valid high-tech trend."""
    links = can(request.user, "reserve.view")
    year, years = _year(request)
    ctx = _run_context(request, year)
    run = ctx["run"]
    rows = []
    if run is not None:
        by_tier = cell_counts(_scoped_results(request, run))
        results_url = reverse("qualifications:assessment_results")
        risks = reverse("qualifications:risk_list")
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
                {
                    "tier": tier,
                    "label": label,
                    **a,
                    "n_held": a["held"],
                    "urls": urls if links else {},
                }
            )
    bar_option = (
        ladder_bar_chart(
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
        if rows
        else None
    )

    # Movement between tiers (highest rung held at each year end).
    scope_ids = None
    if not scope_for(request.user, "ladder.view").all:
        scope_ids = list(Enterprise.objects.for_user(request.user).values_list("pk", flat=True))
    before = highest_tier_by_enterprise(year - 1, scope_ids)
    after = highest_tier_by_enterprise(year, scope_ids)
    # The four unicorn-type titles are merged into one node (tiny flows would overlap).
    growth_label = _("Unicorn-type tiers")
    labels = {k.value: (growth_label if k in UNICORN_TIERS else k.label) for k in LADDER}
    none_label = _("No tier")
    flows: dict[tuple[str, str], int] = {}
    for e in set(before) | set(after):
        key = (labels.get(before.get(e), none_label), labels.get(after.get(e), none_label))
        flows[key] = flows.get(key, 0) + 1
    order = list(dict.fromkeys([none_label] + [str(labels[k.value]) for k in LADDER]))
    flows = {(str(s), str(t)): v for (s, t), v in flows.items()}

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
    moved_up = sum(v for (s, t), v in flows.items() if order.index(t) > order.index(s))
    moved_down = sum(v for (s, t), v in flows.items() if order.index(t) < order.index(s))

    trend_years = [y for y in range(year - 4, year + 1)]
    valid_ht = valid_high_tech_series(trend_years)
    trend = bar_line_chart(
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
    ctx.update(
        {
            "years": years,
            "rows": rows,
            "links": links,
            "bar_option": bar_option,
            "sankey_option": sankey,
            "trend_option": trend,
            "moved_up": moved_up,
            "moved_down": moved_down,
            "trend_link_base": f"{reverse('enterprises:qualification_list')}?kind=high_tech&valid_on="
            if links
            else "",
            "pending_label": pending_label(),
        }
    )
    return render(request, "qualifications/ladder.html", ctx)


# ------------------------------------------------------------------ reserve pool


def reserve_rules() -> dict[str, int]:
    """How the shortlist is drawn (settings ``KECHUANG_RESERVE_POOL_SIZE`` and
    ``KECHUANG_RESERVE_MAX_GAPS``)."""
    return {
        "size": int(getattr(settings, "KECHUANG_RESERVE_POOL_SIZE", 100)),
        "max_gaps": int(getattr(settings, "KECHUANG_RESERVE_MAX_GAPS", 2)),
    }


def _reserve_queryset(request, run, form):
    """The shortlist: not held, failing only conditions the figures measure (at most
    ``max_gaps`` of them), smallest gap first, at most ``size`` enterprises."""
    data = form.cleaned_data if form.is_valid() else {}
    tier = data.get("tier") or Tier.HIGH_TECH.value
    rules = reserve_rules()
    conds = next(c for t, _p, c in STORED_TIERS if t == tier)
    qs = (
        AssessmentResult.objects.for_user(request.user)
        .filter(run=run, tier=tier, held=False, failed_count__lte=rules["max_gaps"])
        .select_related("enterprise", "enterprise__town")
        .annotate(rank=STATUS_RANK, gap_size=Coalesce("gap_cost_wan", Decimal(0)))
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
    eligible = qs.count()
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


def _describe(r) -> None:
    """Template-ready texts of one stored result: failed conditions, gaps, expert and
    declaration notes (Chinese labels only)."""
    r.badge = STATUS_BADGE.get(r.status, "")
    r.failed = [condition_label(c) for c, s in r.conditions.items() if s == "fail"]
    r.gap_texts = [gap_text(g) for g in r.gaps if g.get("condition") not in EXPERT_CONDITIONS]
    r.expert = [
        condition_label(c)
        for c, s in r.conditions.items()
        if c in EXPERT_CONDITIONS and s in ("unknown", "borderline")
    ]
    r.declare = [
        condition_label(c)
        for c, s in r.conditions.items()
        if s == "unknown" and c not in EXPERT_CONDITIONS
    ]


@requires("reserve.view")
def reserve_pool(request):
    """Enterprises not holding a tier but passing or closest to it, ranked by gap size."""
    year, years = _year(request)
    ctx = _run_context(request, year)
    form = ReserveFilterForm(request.GET or None)
    for field in form.fields.values():
        field.widget.attrs.setdefault(
            "class",
            "form-select form-select-sm"
            if hasattr(field, "choices")
            else "form-control form-control-sm",
        )
    run = ctx["run"]
    page = None
    eligible = 0
    tier = request.GET.get("tier")
    tier = tier if tier in dict(EVALUATED_TIERS) else Tier.HIGH_TECH.value
    if run is not None:
        qs, tier, eligible = _reserve_queryset(request, run, form)
        if request.GET.get("export") == "xlsx":
            return _reserve_export(qs, year, tier)
        page = Paginator(qs, 25).get_page(request.GET.get("page"))
        offset = page.start_index()
        for i, r in enumerate(page.object_list):
            r.position = offset + i
            _describe(r)
    ctx.update(
        {
            "years": years,
            "form": form,
            "page": page,
            "tier": tier,
            "tier_label": Tier(tier).label,
            "rules": reserve_rules(),
            "eligible": eligible,
            "candidates_url": f"{reverse('qualifications:assessment_results')}"
            f"?year={year}&tier={tier}&cell=candidates",
        }
    )
    return render(request, "qualifications/reserve_pool.html", ctx)


def _reserve_export(qs, year: int, tier: str):
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
    return xlsx_response(
        workbook_bytes(wb), f"{_('Reserve pool')}-{str(Tier(tier).label)}-{year}.xlsx"
    )


# ------------------------------------------------------------------ ladder cells


@requires("reserve.view")
def assessment_results(request):
    """The results behind one cell of the ladder table (same filter, same scope)."""
    year, years = _year(request)
    ctx = _run_context(request, year)
    tier = request.GET.get("tier")
    tier = tier if tier in dict(EVALUATED_TIERS) else Tier.HIGH_TECH.value
    cell = request.GET.get("cell")
    cell = cell if cell in CELLS else "candidates"
    page = None
    if ctx["run"] is not None:
        qs = (
            _scoped_results(request, ctx["run"])
            .filter(CELLS[cell][1], tier=tier)
            .select_related("enterprise", "enterprise__town")
            .annotate(rank=STATUS_RANK)
            .order_by("rank", "failed_count", "enterprise__name", "pk")
        )
        page = Paginator(qs, 25).get_page(request.GET.get("page"))
        offset = page.start_index()
        for i, r in enumerate(page.object_list):
            r.position = offset + i
            _describe(r)
    ctx.update(
        {
            "years": years,
            "page": page,
            "tier": tier,
            "tier_label": Tier(tier).label,
            "cell": cell,
            "cell_label": CELLS[cell][0],
            "tiers": EVALUATED_TIERS,
        }
    )
    return render(request, "qualifications/result_list.html", ctx)


# ------------------------------------------------------------------ risks


@requires("reserve.view")
def risk_list(request):
    """Holders that no longer meet their tier's rules; certificates expiring in 6/12 months."""
    year, years = _year(request)
    ctx = _run_context(request, year)
    run = ctx["run"]
    tier = request.GET.get("tier") or ""
    holders = []
    if run is not None:
        qs = (
            AssessmentResult.objects.for_user(request.user)
            .filter(AT_RISK, run=run)
            .select_related("enterprise", "enterprise__town")
            .annotate(tier_rank=TIER_RANK)
            .order_by("tier_rank", "-failed_count", F("gap_cost_wan").desc(nulls_last=True), "pk")
        )
        if tier in dict(EVALUATED_TIERS):
            qs = qs.filter(tier=tier)
        page = Paginator(qs, 25).get_page(request.GET.get("page"))
        for r in page.object_list:
            r.tier_label = Tier(r.tier).label
            _describe(r)
        holders = page
    # The countdown runs from the date the page states: today unless ?on=YYYY-MM-DD.
    ref = validity_date(request.GET.get("on"))
    horizon6, horizon12 = add_months(ref, 6), add_months(ref, 12)
    later = Qualification.objects.filter(
        enterprise=OuterRef("enterprise"),
        kind=QualificationKind.HIGH_TECH,
        issue_date__gt=OuterRef("issue_date"),
    )
    certs = (
        Qualification.objects.for_user(request.user)
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
    ctx.update(
        {
            "years": years,
            "holders": holders,
            "tier": tier,
            "tiers": EVALUATED_TIERS,
            "reference_date": ref,
            "expiring": expiring,
            "expiring6": sum(1 for x in expiring if x["window"] == 6),
            "expiring12": len(expiring),
        }
    )
    return render(request, "qualifications/risk_list.html", ctx)


# ------------------------------------------------------------------ enterprise assessment


def _enterprise_for(request, pk: int) -> Enterprise:
    return get_object_for_user(
        Enterprise.objects.select_related("town", "town__region"), request.user, pk=pk
    )


def _whatif_initial(case) -> dict:
    key, rec = last_year_record(case)
    ip1, ip2 = ip_counts(case)

    def money(field: str) -> Decimal:
        return rec.get(field) if rec.get(field) is not None else Decimal(0)

    conversions = (case.get("expert_inputs") or {}).get("conversions_3y")
    return {
        "rd": money("rd_expense_hnte"),
        "rd_domestic": money("rd_expense_hnte_domestic"),
        "rd_deduction": money("rd_expense_deduction_scope"),
        "hightech_income": money("hightech_income"),
        "tech_staff": rec.get("tech_staff") or 0,
        "revenue": money("sales_revenue"),
        "ip1": ip1,
        "ip2": ip2,
        "conversions": conversions or 0,
    }


# What-if inputs: one per condition with a numeric gap (name, slider floor, step, unit).
WHATIF_INPUTS = [
    ("rd", 100, "0.01", "wan"),
    ("rd_domestic", 100, "0.01", "wan"),
    ("rd_deduction", 100, "0.01", "wan"),
    ("hightech_income", 1000, "0.01", "wan"),
    ("revenue", 1000, "0.01", "wan"),
    ("tech_staff", 20, "1", "persons"),
    ("ip1", 5, "1", "items"),
    ("ip2", 10, "1", "items"),
    ("conversions", 10, "1", "items"),
]
MONEY_INPUTS = {name for name, _f, _s, unit in WHATIF_INPUTS if unit == "wan"}


def _cents(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _slider_max(value, floor: float) -> float:
    v = float(value or 0)
    return float(max(floor, round(v * 3 + floor)))


@requires("assessment.view")
def enterprise_assessment(request, pk: int):
    """One enterprise's self-assessment: every tier, condition and gap, plus the what-if panel."""
    enterprise = _enterprise_for(request, pk)
    year, years = _year(request)
    t = evaluation_date_for(year)
    row = ruleset_in_force(t)
    rs = logic_ruleset(row)
    case = enterprise_case(enterprise, year, evaluation_date=t, ruleset=rs)
    result = evaluate_case(case, ruleset=rs)
    initial = _whatif_initial(case)
    form = WhatIfForm(
        initial={k: _cents(v) if k in MONEY_INPUTS else v for k, v in initial.items()}
    )
    units = {"wan": _("10,000 yuan"), "persons": _("persons"), "items": _("items")}
    sliders = [
        {
            "field": form[name],
            "name": name,
            "min": 0,
            "max": _slider_max(initial[name], floor),
            "step": step,
            "unit": units[unit],
        }
        for name, floor, step, unit in WHATIF_INPUTS
    ]
    gap_inputs = {
        GAP_INPUTS.get(g.get("field"))
        for tier in result["tiers"].values()
        for g in tier.get("gaps") or []
    }
    for slider in sliders:
        slider["gap"] = slider["name"] in gap_inputs
    ctx = _run_context(request, year)
    stored = None
    if ctx["run"] is not None:
        stored = {
            r.tier: r
            for r in AssessmentResult.objects.filter(run=ctx["run"], enterprise=enterprise)
        }
    ctx.update(
        {
            "enterprise": enterprise,
            "years": years,
            "evaluation_date": t,
            "rule_set": row,
            "cards": tier_cards(result, rs),
            "form": form,
            "sliders": sliders,
            "declarations": [form[f] for f in WhatIfForm.DECLARATIONS],
            "last_year": last_year_record(case)[0],
            "stored": stored,
            "pending_label": pending_label(),
            "is_list_role": can(request.user, "reserve.view"),
        }
    )
    return render(request, "qualifications/enterprise_assessment.html", ctx)


@requires("assessment.view")
def enterprise_whatif(request, pk: int):
    """htmx fragment: every tier re-evaluated with the what-if values (nothing is saved)."""
    enterprise = _enterprise_for(request, pk)
    year, _years = _year(request)
    t = evaluation_date_for(year)
    rs = logic_ruleset(ruleset_in_force(t))
    case = enterprise_case(enterprise, year, evaluation_date=t, ruleset=rs)
    baseline = evaluate_case(case, ruleset=rs)
    form = WhatIfForm(request.GET)
    if form.is_valid():
        initial = _whatif_initial(case)
        # Only what the user moved: an untouched field must not turn "unknown" into zero.
        changes = {
            k: v
            for k, v in form.cleaned_data.items()
            if k in WhatIfForm.DECLARATIONS or (v is not None and _cents(v) != _cents(initial[k]))
        }
        changed = apply_whatif(case, changes)
        result = evaluate_case(changed, ruleset=rs)
        errors = None
    else:
        result, errors = baseline, form.errors
    ctx = {
        "cards": tier_cards(result, rs, baseline=baseline),
        "whatif": True,
        "errors": errors,
        "pending_label": pending_label(),
    }
    return render(request, "qualifications/_assessment_tiers.html", ctx)


# ------------------------------------------------------------------ re-run


@requires("assessment.run")
@require_POST
def assessment_rerun(request):
    """Re-assess a year now (bureau staff); back to the page that asked."""
    try:
        year = int(request.POST.get("year", ""))
    except ValueError as exc:
        raise Http404 from exc
    if year not in available_assessment_years():
        raise Http404
    # A background task (the run of every enterprise takes seconds to minutes).
    assess_year.enqueue(year=year, force=True, user_id=request.user.pk)
    messages.success(
        request,
        _(
            "The re-assessment of %(year)s is queued; the pages show its results when it "
            "has finished."
        )
        % {"year": year},
    )
    target = request.POST.get("next") or reverse("qualifications:ladder")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("qualifications:ladder")
    return redirect(target)


# ------------------------------------------------------------------ rule sets


@requires("rules.view")
def ruleset_list(request):
    return render(request, "qualifications/ruleset_list.html", {"rule_sets": ruleset_rows()})


def _history(rule_set: RuleSet) -> list[dict]:
    records = list(
        rule_set.history.select_related("history_user").order_by("history_date", "history_id")
    )
    out, previous = [], None
    for rec in records:
        changes = []
        if previous is not None:
            old_items, new_items = previous.data.get("items", {}), rec.data.get("items", {})
            for key, item in new_items.items():
                old = old_items.get(key, {})
                for field in ("value", "status"):
                    if old.get(field) != item.get(field):
                        if field == "value":
                            unit = item.get("unit", "")
                            before = rule_value_text(old.get(field), unit)
                            after = rule_value_text(item.get(field), unit)
                        else:
                            before = basis_label(old.get(field) or "")
                            after = basis_label(item.get(field) or "")
                        changes.append(
                            {
                                "key": key,
                                "label": item.get("label_zh") or key,
                                "field": _("value") if field == "value" else _("verification"),
                                "before": before,
                                "after": after,
                            }
                        )
        out.append(
            {
                "date": rec.history_date,
                "user": rec.history_user,
                "type": rec.get_history_type_display(),
                "revision": rec.revision,
                "changes": changes,
            }
        )
        previous = rec
    return list(reversed(out))


@requires("rules.view", post="rules.change")
def ruleset_detail(request, pk: int):
    """The rule items with clause and status; the bureau admin edits values and statuses."""
    ruleset_rows()
    rule_set = get_object_or_404(RuleSet, pk=pk)
    can_edit = can(request.user, "rules.change")
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = RuleSetForm(request.POST, rule_set=rule_set)
        if form.is_valid():
            try:
                ruleset_update(
                    rule_set=rule_set, user=request.user, changes=form.cleaned_data["changes"]
                )
            except ValidationError as exc:
                for key, errs in exc.message_dict.items():
                    form.add_error(None if key == "__all__" else f"v:{key}", errs)
            else:
                messages.success(
                    request,
                    _(
                        "Rule set saved. Stored assessments made with the old values are now marked out of date."
                    ),
                )
                return redirect(rule_set.get_absolute_url())
    else:
        form = RuleSetForm(rule_set=rule_set)
    return render(
        request,
        "qualifications/ruleset_detail.html",
        {
            "rule_set": rule_set,
            "form": form,
            "rows": [
                {
                    "key": key,
                    "label": item.get("label_zh") or key,
                    "value_field": value_field,
                    "value_text": rule_value_text(item["value"], item.get("unit", "")),
                    "unit": rule_unit_hint(item.get("unit", "")) if value_field is not None else "",
                    "op": rule_operator_text(item.get("op", "")),
                    "clause": official_clause(item.get("clause", "")),
                    "status": item["status"],
                    "status_label": basis_label(item["status"]),
                    "pending": item["status"] == "UNCONFIRMED",
                    "status_field": status_field,
                }
                for key, item, value_field, status_field in form.rows()
            ],
            "can_edit": can_edit,
            "history": _history(rule_set),
            "pending_label": pending_label(),
        },
    )
