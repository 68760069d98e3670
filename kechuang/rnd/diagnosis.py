"""Enterprise R&D diagnosis: load the facts (selector), compute findings, recommendations and the
tax at stake (pure logic), and shape one dict that the page, the Word report and the API share."""

from __future__ import annotations

import statistics
from decimal import Decimal

import polars as pl
from django.conf import settings
from django.db.models import Q

from kechuang.core.datacache import memoised
from kechuang.enterprises.choices import IPKind, IPStatus, QualificationKind
from kechuang.enterprises.models import AnnualFigure, Enterprise
from kechuang.enterprises.selectors import year_end

from .logic import diagnosis as logic
from .logic.aggregates import percentile_rank
from .logic.tax import merged_rates, tax_at_stake
from .selectors import CONTRADICTION_KINDS, rd_frames
from .texts import CATEGORY_LABELS, finding_text, recommendation_text

__all__ = ["enterprise_diagnosis", "diagnosis_years"]

CATEGORY_FIELDS = {key: f"rd_hnte_{key}" for key in logic.CATEGORIES}


def diagnosis_years(enterprise: Enterprise) -> list[int]:
    return list(enterprise.annual_figures.order_by("year").values_list("year", flat=True))


def _figures(enterprise: Enterprise) -> dict[int, dict]:
    out = {}
    for f in enterprise.annual_figures.order_by("year"):
        out[f.year] = {
            "is_above_scale": f.is_above_scale_industrial,
            "operating_revenue": f.operating_revenue,
            "sales_revenue": f.sales_revenue,
            "total_assets": f.total_assets,
            "total_cost_expense": f.total_cost_expense,
            "employees": f.employees_year_end,
            "tech_staff": f.tech_staff_year_end,
            "rd_expense_stat": f.rd_expense_stat,
            "rd_hnte_total": f.rd_hnte_total,
            "rd_deduction_scope": f.rd_deduction_scope,
            "categories": {k: getattr(f, field) for k, field in CATEGORY_FIELDS.items()},
            "intensity_pct": float(f.rd_intensity * 100) if f.rd_intensity is not None else None,
        }
    return out


def _peers(enterprise: Enterprise, year: int, intensity: float | None) -> dict:
    """Above-scale peers of the same industry division in `year`: count, intensity percentile
    and median, and the median share of each high-tech-scope category (2 queries at most)."""
    frame, _quals = rd_frames()
    peers = frame.filter(
        (pl.col("year") == year) & (pl.col("division") == enterprise.industry_division)
    ).with_columns(
        pl.when(pl.col("revenue") > 0)
        .then(pl.col("rd").fill_null(0) * 100 / pl.col("revenue"))
        .otherwise(None)
        .alias("intensity")
    )
    intensities = peers.get_column("intensity").to_list()
    valid = [v for v in intensities if v is not None]
    return {
        "count": peers.height,
        "percentile": percentile_rank(intensity, intensities),
        "median_intensity_pct": statistics.median(valid) if valid else None,
        # The same for every enterprise of the division: reused while the data is unchanged.
        "median_structure": memoised(
            "peer_structure", _peer_structure, enterprise.industry_division, year
        ),
    }


def _peer_structure(division: str, year: int) -> dict[str, float]:
    """Median share of each high-tech-scope category among the division's above-scale
    enterprises in `year`."""
    rows = AnnualFigure.objects.filter(
        year=year,
        is_above_scale_industrial=True,
        enterprise__industry_code__startswith=division,
    ).values_list(*CATEGORY_FIELDS.values())
    shares: dict[str, list[float]] = {k: [] for k in logic.CATEGORIES}
    for row in rows:
        values = [float(v or 0) for v in row]
        total = sum(values)
        if total > 0:
            for key, value in zip(logic.CATEGORIES, values, strict=True):
                shares[key].append(value / total)
    return {k: statistics.median(v) for k, v in shares.items() if v}


def enterprise_diagnosis(enterprise: Enterprise, year: int) -> dict:
    """Everything the diagnosis page, Word report and API show for `enterprise` in `year`.

    The caller has checked access (`get_object_for_user`). Money in yuan (Decimal).
    """
    figures = _figures(enterprise)
    fig = figures.get(year) or {}
    end = year_end(year)
    quals = enterprise.qualifications.all()
    high_tech = quals.filter(kind=QualificationKind.HIGH_TECH).valid_on(end).first()
    holds_tech_sme = quals.filter(
        Q(kind__in=CONTRADICTION_KINDS, year__in=[year, year + 1])
    ).exists()
    patents = enterprise.ip_assets.filter(
        Q(grant_date__lte=end) | Q(grant_date__isnull=True),
        kind=IPKind.INVENTION_PATENT,
        status=IPStatus.GRANTED,
    ).count()
    peer = _peers(enterprise, year, fig.get("intensity_pct"))
    facts = {
        "year": year,
        "is_above_scale": bool(fig.get("is_above_scale")),
        "figures": figures,
        "invention_patents_granted": patents,
        "holds_high_tech": high_tech is not None,
        "holds_tech_sme": holds_tech_sme,
        "peer": peer,
    }
    findings = logic.diagnose(facts)
    recommendations = logic.recommend(findings)
    tax = tax_at_stake(
        rd_deduction_scope=fig.get("rd_deduction_scope"),
        rd_expense_stat=fig.get("rd_expense_stat"),
        holds_high_tech=high_tech is not None,
        rates=merged_rates(getattr(settings, "KECHUANG_RND_TAX_RATES", None)),
    )
    cats = fig.get("categories") or {}
    cat_total = sum((v or Decimal(0)) for v in cats.values())
    structure = [
        {
            "key": key,
            "label": str(CATEGORY_LABELS[key]),
            "amount": cats.get(key),
            "share_pct": float((cats.get(key) or 0) / cat_total * 100) if cat_total else None,
            "peer_share_pct": peer["median_structure"][key] * 100
            if key in peer["median_structure"]
            else None,
        }
        for key in logic.CATEGORIES
    ]
    h5 = logic.h5_position(figures, year) if fig else None
    if h5 is not None:
        h5 = {
            **h5,
            "ratio_pct": float(h5["ratio"] * 100),
            "threshold_pct": float(h5["threshold"] * 100),
            "below": h5["ratio"] < h5["threshold"],
        }
    tax = {**tax, "extra_pct": tax["extra_deduction_rate"] * 100, "cit_pct": tax["cit_rate"] * 100}
    return {
        "enterprise": enterprise,
        "year": year,
        "figures": figures,
        "figure": fig,
        "high_tech": high_tech,
        "holds_tech_sme": holds_tech_sme,
        "invention_patents_granted": patents,
        "peer": peer,
        "structure": structure,
        "h5": h5,
        "findings": [{**f, **finding_text(f)} for f in findings],
        "recommendations": [{**r, "text": recommendation_text(r)} for r in recommendations],
        "tax": tax,
        "scopes": {
            "rd_expense_stat": fig.get("rd_expense_stat"),
            "rd_hnte_total": fig.get("rd_hnte_total"),
            "rd_deduction_scope": fig.get("rd_deduction_scope"),
        },
        "scope_flags": [f["code"] for f in findings if f["code"].startswith("deduction_")],
    }
