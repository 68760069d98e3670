"""Stored qualification assessments: rule sets (editable, with history), runs and results.

The rules themselves are pure (``logic/``); these models keep what the platform needs around
them: the rule-set data the bureau admin may edit, one row per assessment run (year, rule-set
version and revision, when, by whom, how long) and one row per enterprise and tier.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kechuang.core.models import ScopedQuerySet

__all__ = [
    "Tier",
    "ResultStatus",
    "RunStatus",
    "RuleSet",
    "AssessmentRun",
    "AssessmentResult",
]


# ------------------------------------------------------------------ choices


class Tier(models.TextChoices):
    """The tiers the engine evaluates (keys of the result's ``tiers`` object)."""

    TECH_SME_NATIONAL = "tech_sme_national", _("National tech SME")
    HIGH_TECH = "high_tech", _("High-tech enterprise")
    TECH_SME_PROVINCIAL = "tech_sme_provincial", _("Zhejiang tech SME")
    CULTIVATION = "cultivation", _("Municipal high-tech cultivation enterprise")
    RD_INSTITUTION = "rd_institution", _("Enterprise R&D institution")
    UNICORN = "unicorn", _("Unicorn-type tiers")


class ResultStatus(models.TextChoices):
    """Outcome of a tier for one enterprise (``status``, docs/qualification-rules.md#unknown-is-not-zero)."""

    PASS = "pass", _("Meets the rules")
    BORDERLINE = "borderline", _("Borderline")
    UNKNOWN = "unknown", _("Data missing")
    FAIL = "fail", _("Does not meet the rules")


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    INTERRUPTED = "interrupted", _("Interrupted")


# ------------------------------------------------------------------ RuleSet


class RuleSet(models.Model):
    """One version of the rule-set data (thresholds, bands, clauses, statuses).

    ``data`` has the shape of ``logic/rulesets/*.json`` and is copied from there on first use.
    The bureau admin edits item values and statuses; every edit bumps ``revision`` (stored on
    each assessment run, so results computed under older thresholds are recognised as stale).
    """

    version = models.CharField(_("version"), max_length=64, unique=True)
    effective_from = models.DateField(_("effective from"))
    title = models.CharField(_("title"), max_length=255, blank=True)
    data = models.JSONField(_("rule data"))
    revision = models.PositiveIntegerField(_("revision"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")

    def __str__(self) -> str:
        return self.version

    def get_absolute_url(self) -> str:
        return reverse("qualifications:ruleset_detail", args=[self.pk])


# ------------------------------------------------------------------ AssessmentRun


class AssessmentRun(models.Model):
    """One batch assessment of every enterprise for an assessment year.

    Assessment year Y is evaluated on ``evaluation_date`` (default Y+1-01-01, the day after the
    fiscal year closes). ``data_as_of`` is the newest ``updated_at`` of the enterprise data when
    the run read it; ``stale_at`` is set when data it depends on changed afterwards.
    """

    year = models.PositiveSmallIntegerField(_("assessment year"), db_index=True)
    evaluation_date = models.DateField(_("evaluation date"))
    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.PROTECT, related_name="runs", verbose_name=_("rule set")
    )
    rule_set_version = models.CharField(_("rule-set version"), max_length=64)
    rule_set_revision = models.PositiveIntegerField(_("rule-set revision"), default=1)
    status = models.CharField(
        _("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.RUNNING
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    enterprise_count = models.PositiveIntegerField(_("enterprises"), default=0)
    duration_s = models.FloatField(_("duration (s)"), null=True, blank=True)
    data_as_of = models.DateTimeField(_("data as of"), null=True, blank=True)
    stale_at = models.DateTimeField(_("stale since"), null=True, blank=True)
    summary = models.JSONField(_("counts by tier and status"), default=dict, blank=True)
    error = models.TextField(_("error"), max_length=4000, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("assessment run")
        verbose_name_plural = _("assessment runs")
        indexes = [models.Index(fields=["year", "status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.year} #{self.pk}"


# ------------------------------------------------------------------ AssessmentResult


class AssessmentResultQuerySet(ScopedQuerySet):
    """Results are scoped through their enterprise (town officers: their town only)."""

    enterprise_path = "enterprise__"


class AssessmentResult(models.Model):
    """One enterprise's outcome for one tier in one run.

    ``conditions`` maps condition id → status; ``gaps`` is the engine's gap list (money in 万元).
    The primary gap numbers are also columns so lists can rank by them in SQL.
    """

    # No database check on the run: its rows are written by the call that created the run
    # moments before, and leave with it through the ORM's cascade, while checking one parent
    # row for each of a million results was about a quarter of the store's time on PostgreSQL
    # (docs/performance.md, "The run's rows without a database check").
    run = models.ForeignKey(
        AssessmentRun,
        on_delete=models.CASCADE,
        related_name="results",
        verbose_name=_("run"),
        db_constraint=False,
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="assessment_results",
        verbose_name=_("enterprise"),
    )
    tier = models.CharField(_("tier"), max_length=32, choices=Tier.choices)
    status = models.CharField(_("status"), max_length=16, choices=ResultStatus.choices)
    held = models.BooleanField(
        _("held at year end"), default=False, help_text=_("Holds this tier on 31 December")
    )
    score_min = models.SmallIntegerField(_("score (minimum)"), null=True, blank=True)
    score_max = models.SmallIntegerField(_("score (maximum)"), null=True, blank=True)
    route = models.CharField(_("route"), max_length=48, blank=True)
    conditions = models.JSONField(_("conditions"), default=dict)
    gaps = models.JSONField(_("gaps"), default=list)
    failed_count = models.PositiveSmallIntegerField(_("failed conditions"), default=0)
    unknown_count = models.PositiveSmallIntegerField(_("conditions lacking data"), default=0)
    gap_rd_yuan = models.DecimalField(
        _("extra R&D needed (yuan)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    gap_tech_staff = models.DecimalField(
        _("extra S&T staff needed (persons)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
    )
    gap_ip_class1 = models.PositiveSmallIntegerField(_("extra Class I IP"), null=True, blank=True)
    gap_ip_class2 = models.PositiveSmallIntegerField(_("extra Class II IP"), null=True, blank=True)
    gap_cost_wan = models.DecimalField(
        _("gap size (10,000 yuan equivalent)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Ranking heuristic from the rule set's cost weights, not a policy figure"),
    )

    objects = AssessmentResultQuerySet.as_manager()

    class Meta:
        ordering = ["run_id", "enterprise_id", "tier"]
        verbose_name = _("assessment result")
        verbose_name_plural = _("assessment results")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "enterprise", "tier"],
                name="%(app_label)s_%(class)s_unique_run_enterprise_tier",
                violation_error_message=_("A run has one result per enterprise and tier."),
            ),
        ]
        indexes = [models.Index(fields=["run", "tier", "status", "held"])]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.tier} {self.status}"
