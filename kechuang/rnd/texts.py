"""Wording of diagnosis findings and recommendations (the logic returns codes and figures).

Every sentence states the figures behind it; money is shown in 10,000 yuan (万元).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

__all__ = [
    "CATEGORY_LABELS",
    "FINDING_TEXTS",
    "RECOMMENDATION_TEXTS",
    "SEVERITY_LABELS",
    "finding_text",
    "recommendation_text",
    "wan_text",
]

CATEGORY_LABELS = {
    "personnel": gettext_lazy("Personnel"),
    "direct": gettext_lazy("Direct inputs"),
    "depreciation": gettext_lazy("Depreciation and long-term deferred"),
    "intangible": gettext_lazy("Intangible amortisation"),
    "design": gettext_lazy("Design"),
    "equipment_trial": gettext_lazy("Equipment debugging and trials"),
    "commissioned": gettext_lazy("Commissioned external R&D"),
    "other": gettext_lazy("Other"),
}
SEVERITY_LABELS = {
    "high": gettext_lazy("Act now"),
    "medium": gettext_lazy("Improve"),
    "info": gettext_lazy("Note"),
}

FINDING_TEXTS = {
    "no_figures": (
        gettext_lazy("No figures for the year"),
        gettext_lazy("There are no yearly figures for %(year)s, so nothing can be diagnosed."),
    ),
    "zero_rd_declared": (
        gettext_lazy("Above-scale enterprise declaring zero R&D"),
        gettext_lazy(
            "In %(year)s the enterprise was above-scale industrial but declared R&D expense of "
            "%(rd_expense_stat)s in the statistics."
        ),
    ),
    "patents_without_rd": (
        gettext_lazy("Granted invention patents but zero R&D"),
        gettext_lazy(
            "The enterprise holds %(patents)s granted invention patent(s) but its statistical "
            "R&D expense is %(rd_expense_stat)s."
        ),
    ),
    "staff_without_personnel_cost": (
        gettext_lazy("S&T staff but no personnel R&D cost"),
        gettext_lazy(
            "%(tech_staff)s S&T staff at year end, yet personnel cost collected as R&D "
            "(high-tech scope) is %(personnel)s."
        ),
    ),
    "deduction_exceeds_statistical": (
        gettext_lazy("Super-deduction claimed on more R&D than the statistics report"),
        gettext_lazy(
            "Super-deduction scope %(rd_deduction_scope)s exceeds the statistical R&D expense "
            "%(rd_expense_stat)s by %(excess)s; the statistical scope is the widest, so one of "
            "the two is wrong."
        ),
    ),
    "deduction_without_statistical": (
        gettext_lazy("Zero statistical R&D beside a claimed super-deduction"),
        gettext_lazy(
            "A super-deduction was claimed on %(rd_deduction_scope)s of R&D, but the statistics "
            "report %(rd_expense_stat)s."
        ),
    ),
    "high_tech_rerecognition_risk": (
        gettext_lazy("High-tech enterprise under the R&D ratio (re-recognition risk)"),
        gettext_lazy(
            "R&D (high-tech scope) over %(years)s is %(rd_sum)s on sales of %(sales_sum)s: "
            "%(ratio_pct)s against the required %(threshold_pct)s for its revenue band. "
            "%(gap)s more R&D over the period would meet it."
        ),
    ),
    "below_high_tech_threshold": (
        gettext_lazy("R&D ratio under the high-tech threshold"),
        gettext_lazy(
            "R&D (high-tech scope) over %(years)s is %(rd_sum)s on sales of %(sales_sum)s: "
            "%(ratio_pct)s against the required %(threshold_pct)s for its revenue band, a gap "
            "of %(gap)s."
        ),
    ),
    "tech_sme_score_gain": (
        gettext_lazy("More collected R&D would raise the tech-SME score"),
        gettext_lazy(
            "The R&D indicator scores %(points)s points now; %(additional)s more R&D "
            "(super-deduction scope) would score %(next_points)s."
        ),
    ),
    "category_not_collected": (
        gettext_lazy("An R&D category peers collect is empty"),
        gettext_lazy(
            "Nothing is collected under “%(category)s”, where the median peer puts "
            "%(peer_share_pct)s of its R&D expense."
        ),
    ),
    "below_peer_median": (
        gettext_lazy("R&D intensity well below peers"),
        gettext_lazy(
            "Its R&D intensity ranks at the %(percentile)sth percentile of %(peers)s "
            "above-scale peers in the same industry division."
        ),
    ),
    "rd_declined": (
        gettext_lazy("R&D expense fell"),
        gettext_lazy(
            "Statistical R&D expense fell from %(previous)s to %(current)s (%(change_pct)s)."
        ),
    ),
}

RECOMMENDATION_TEXTS = {
    "visit_zero_rd": gettext_lazy(
        "Visit the enterprise (zero-declaration visit): check whether R&D activity exists and is "
        "simply not being declared."
    ),
    "set_up_rd_accounts": gettext_lazy(
        "Set up R&D auxiliary accounts per project so that R&D expense is collected as it occurs."
    ),
    "engage_agency": gettext_lazy(
        "Offer the S&T service alliance's R&D collection accounting package (会计代理)."
    ),
    "collect_personnel_cost": gettext_lazy(
        "Collect the salaries, social insurance and housing fund of S&T staff working on R&D "
        "projects as personnel R&D cost."
    ),
    "finance_training": gettext_lazy(
        "Enrol the finance staff in the bureau's R&D accounting training."
    ),
    "collect_categories": gettext_lazy(
        "Review the empty R&D categories (materials, depreciation, design, trials …) against "
        "the projects' actual spending."
    ),
    "reconcile_scopes": gettext_lazy(
        "Reconcile the three R&D figures (statistics, high-tech scope, super-deduction scope) "
        "before the next declaration."
    ),
    "prepare_rerecognition": gettext_lazy(
        "Plan the re-recognition now: the certificate is at risk if the 3-year R&D ratio stays "
        "under the threshold."
    ),
    "raise_rd_ratio": gettext_lazy(
        "Raise collected R&D to the high-tech threshold of its revenue band (see the gap)."
    ),
    "high_tech_reserve": gettext_lazy(
        "Consider the enterprise for the high-tech reserve pool and its support policies."
    ),
    "register_tech_sme": gettext_lazy(
        "Collect R&D fully before the tech-SME evaluation to raise the score."
    ),
    "benchmark_peers": gettext_lazy(
        "Share the peer comparison with the enterprise's management at the next visit."
    ),
}


def wan_text(value) -> str:
    """Yuan → "1,234.56 万元" text."""
    if value is None:
        return "—"
    return _("%(amount)s ten thousand yuan") % {
        "amount": number_format(Decimal(value) / Decimal(10000), decimal_pos=2, force_grouping=True)
    }


def _format(key: str, value) -> str:
    if key.endswith("_pct"):
        return f"{value:.2f}%"
    if key == "category":
        return str(CATEGORY_LABELS.get(value, value))
    if key == "years":
        return f"{value[0]}–{value[-1]}" if len(value) > 1 else str(value[0])
    if isinstance(value, Decimal):
        return wan_text(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def finding_text(finding: dict) -> dict:
    """{title, detail, severity_label} of a finding, figures substituted and formatted."""
    title, detail = FINDING_TEXTS[finding["code"]]
    values = {k: _format(k, v) for k, v in finding["figures"].items()}
    return {
        "title": str(title),
        "detail": str(detail) % values,
        "severity_label": str(SEVERITY_LABELS[finding["severity"]]),
    }


def recommendation_text(recommendation: dict) -> str:
    return str(RECOMMENDATION_TEXTS[recommendation["code"]])
