"""HTML views of the qualification engine: ladder, reserve pool, risks, assessments, rules."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.core.access import can, requires
from kechuang.core.views import xlsx_response
from kechuang.core.years import selected_year
from kechuang.enterprises.models import Enterprise
from kechuang.enterprises.selectors import (
    validity_date,
)
from kechuang.imports.recovery import sweep_stale_quietly

from .cells import CELLS
from .display import (
    EXPERT_CONDITIONS,
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
from .models import RuleSet, Tier
from .pages import (
    at_risk_holders,
    cell_results,
    enterprise_for,
    expiring_certificates,
    ladder_bar,
    ladder_rows,
    reserve_queryset,
    reserve_rows,
    reserve_rules,
    reserve_shortlist_ids,
    reserve_workbook,
    stored_results,
    tier_movement,
    unfinished_run,
    valid_high_tech_trend,
)
from .selectors import (
    available_assessment_years,
    enterprise_case,
    evaluation_date_for,
    latest_run,
    logic_ruleset,
    ruleset_in_force,
    ruleset_rows,
    run_state,
)
from .services import ruleset_update
from .tasks import assess_year
from .whatif import GAP_INPUTS, apply_whatif, ip_counts, last_year_record

# ------------------------------------------------------------------ shared helpers


def _year(request) -> tuple[int, list[int]]:
    years = available_assessment_years()
    return selected_year(request, years), years


def _run_context(request, year: int) -> dict:
    sweep_stale_quietly()
    run = latest_run(year)
    return {
        "run": run,
        "run_state": run_state(run),
        "active_run": unfinished_run(year),
        "can_rerun": can(request.user, "assessment.run"),
        "rerun_next": request.get_full_path(),
        "year": year,
    }


# ------------------------------------------------------------------ ladder


@requires("ladder.view")
def ladder(request):
    """Per tier: held vs meets vs borderline; movement between tiers; valid high-tech trend."""
    links = can(request.user, "reserve.view")
    year, years = _year(request)
    ctx = _run_context(request, year)
    rows = ladder_rows(request.user, ctx["run"], year, links)
    trend_base = f"{reverse('enterprises:qualification_list')}?kind=high_tech&valid_on="
    ctx.update(
        {
            "years": years,
            "rows": rows,
            "links": links,
            "bar_option": ladder_bar(rows, year),
            **tier_movement(request.user, year),
            "trend_option": valid_high_tech_trend(request.user, year),
            "trend_link_base": trend_base if links else "",
            "pending_label": pending_label(),
        }
    )
    return render(request, "qualifications/ladder.html", ctx)


# ------------------------------------------------------------------ reserve pool


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
        data = form.cleaned_data if form.is_valid() else {}
        qs, tier, eligible = reserve_queryset(request.user, run, data)
        if request.GET.get("export") == "xlsx":
            name = f"{_('Reserve pool')}-{str(Tier(tier).label)}-{year}.xlsx"
            return xlsx_response(reserve_workbook(qs), name)
        page = Paginator(reserve_shortlist_ids(qs), 25).get_page(request.GET.get("page"))
        page.object_list = reserve_rows(list(page.object_list))
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
        qs = cell_results(request.user, ctx["run"], tier, cell)
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
        page = Paginator(at_risk_holders(request.user, run, tier), 25).get_page(
            request.GET.get("page")
        )
        for r in page.object_list:
            r.tier_label = Tier(r.tier).label
            _describe(r)
        holders = page
    # The countdown runs from the date the page states: today unless ?on=YYYY-MM-DD.
    ref = validity_date(request.GET.get("on"))
    expiring = expiring_certificates(request.user, ref)
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
    return enterprise_for(request.user, pk)


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
    stored = stored_results(ctx["run"], enterprise) if ctx["run"] is not None else None
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
