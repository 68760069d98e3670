"""The assessment panel of the enterprise file (docs/enterprise-file.md#panels): the tiers the
enterprise passes in the newest finished assessment run and its gaps to the others."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kechuang.enterprises.file import FileContext, Panel, register_panel

from .models import AssessmentResult, AssessmentRun, ResultStatus, RunStatus, Tier

__all__ = ["assessment_panel", "register"]


def assessment_panel(ctx: FileContext) -> dict:
    run = (
        AssessmentRun.objects.filter(status=RunStatus.DONE)
        .select_related("rule_set")
        .order_by("-year", "-created_at", "-pk")
        .first()
    )
    results = []
    if run is not None:
        order = {tier.value: i for i, tier in enumerate(Tier)}
        results = sorted(
            AssessmentResult.objects.for_user(ctx.user).filter(run=run, enterprise=ctx.enterprise),
            key=lambda r: order.get(r.tier, 99),
        )
    return {
        "enterprise": ctx.enterprise,
        "run": run,
        "results": results,
        "passed": [r for r in results if r.status == ResultStatus.PASS],
        "statuses": ResultStatus,
    }


def register() -> None:
    register_panel(
        Panel(
            "assessment",
            _("Assessment summary"),
            40,
            "qualifications/_enterprise_file.html",
            assessment_panel,
            capability="assessment.view",
        )
    )
