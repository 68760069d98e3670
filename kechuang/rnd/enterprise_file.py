"""The R&D diagnosis panel of the enterprise file (docs/enterprise-file.md#panels): intensity,
its rank among same-industry peers and the main findings of the newest year with figures."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kechuang.enterprises.file import FileContext, Panel, register_panel

from .diagnosis import diagnosis_years, enterprise_diagnosis

__all__ = ["diagnosis_panel", "register"]


def diagnosis_panel(ctx: FileContext) -> dict:
    years = diagnosis_years(ctx.enterprise)
    if not years:
        return {"enterprise": ctx.enterprise, "year": None}
    year = max(years)
    result = enterprise_diagnosis(ctx.enterprise, year)
    return {
        "enterprise": ctx.enterprise,
        "year": year,
        "intensity_pct": result["figure"].get("intensity_pct"),
        "peer": result["peer"],
        "findings": result["findings"][:4],
        "recommendations": result["recommendations"][:3],
    }


def register() -> None:
    register_panel(
        Panel(
            "diagnosis",
            _("R&D diagnosis"),
            50,
            "rnd/_enterprise_file.html",
            diagnosis_panel,
            capability="rnd.diagnosis",
        )
    )
