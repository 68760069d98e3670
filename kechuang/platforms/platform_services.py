"""Writes of innovation platforms (docs/platforms.md): registry, lifecycle steps, links,
milestones, operators, reporting rounds and yearly reports, evaluations and their public
notice, three-returns records. Every write is validated (field-level messages), checked against
the access policy and recorded in the history (django-simple-history, with the user)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.core.access import can
from kechuang.core.hooks import data_changed
from kechuang.notices.attachments import check_evidence
from kechuang.notices.choices import NoticeKind
from kechuang.notices.services import ItemSpec, notice_publish

from .kpis import FACT_KPIS, REPORTED, kpis_for
from .logic import scoring
from .models import (
    EVENT_STAGE,
    LEVEL_EVENTS,
    Evaluation,
    EvaluationScheme,
    Milestone,
    Platform,
    PlatformEvent,
    PlatformLink,
    PlatformOperator,
    PlatformReport,
    ReportingRound,
    ReportStatus,
    ThreeReturns,
)
from .platform_selectors import kpi_values

__all__ = [
    "operator_set",
    "scheme_parameters_update",
    "save_record",
    "platform_save",
    "event_record",
    "link_save",
    "milestone_save",
    "round_open",
    "report_for",
    "report_save",
    "report_submit",
    "report_review",
    "evaluation_compute",
    "evaluations_publish",
    "three_returns_save",
    "CONSEQUENCE_LABELS",
]

CONSEQUENCE_LABELS = {
    "funding_tier_1": "一档支持",
    "funding_tier_2": "二档支持",
    "funding_tier_3": "三档支持",
    "warning": "警示",
    "revocation_proposal": "建议撤销资格",
}


def _require(user, capability: str) -> None:
    if not can(user, capability):
        raise PermissionDenied(_("You may not change this record."))


M = TypeVar("M", bound=models.Model)


def save_record(obj: M, *, user, errors: dict | None = None) -> M:
    """Validate (field-level messages) and save with the history user."""
    obj._history_user = user if getattr(user, "is_authenticated", False) else None  # type: ignore[attr-defined]
    errors = dict(errors or {})
    try:
        obj.full_clean()
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    obj.save()
    return obj


def _apply(obj: models.Model, fields: dict) -> None:
    names = {f.name for f in obj._meta.concrete_fields} | {
        f.attname for f in obj._meta.concrete_fields
    }
    for name, value in fields.items():
        if name not in names or name in {"id", "history"}:
            raise TypeError(f"{type(obj).__name__} has no writable field {name!r}")
        setattr(obj, name, value)


def _check_file(obj: models.Model, name: str, errors: dict) -> None:
    file = getattr(obj, name)
    if file and not getattr(file, "_committed", True):
        try:
            check_evidence(file)
        except ValidationError as exc:
            errors[name] = exc.messages


# ------------------------------------------------------------------ registry


@transaction.atomic
def platform_save(*, user, platform: Platform | None = None, partners=None, **fields) -> Platform:
    """Create or change a platform (bureau staff)."""
    _require(user, "platforms.manage")
    platform = platform or Platform()
    _apply(platform, fields)
    save_record(platform, user=user)
    if partners is not None:
        platform.partners.set(partners)
    data_changed()
    return platform


@transaction.atomic
def event_record(*, user, platform: Platform, **fields) -> PlatformEvent:
    """Record a dated lifecycle step; the platform's stage and level follow its latest step."""
    _require(user, "platforms.manage")
    event = PlatformEvent(platform=platform)
    _apply(event, fields)
    errors: dict = {}
    if event.kind in LEVEL_EVENTS and not event.level:
        errors["level"] = [_("A recognition, upgrade or downgrade needs its level.")]
    _check_file(event, "evidence", errors)
    save_record(event, user=user, errors=errors)
    _follow_events(platform, user)
    return event


def _follow_events(platform: Platform, user) -> None:
    events = list(platform.events.order_by("date", "id"))
    stage, level = platform.stage, "none"
    for e in events:
        stage = EVENT_STAGE.get(e.kind, stage)
        if e.kind in LEVEL_EVENTS:
            level = e.level
        if e.kind == "revoked":
            level = "none"
    if (stage, level) != (platform.stage, platform.level):
        platform.stage, platform.level = stage, level
        save_record(platform, user=user)
    data_changed()


def link_save(
    *, user, platform: Platform, link: PlatformLink | None = None, **fields
) -> PlatformLink:
    """Attach an enterprise to a platform in a role, or change the link (bureau staff)."""
    _require(user, "platforms.manage")
    link = link or PlatformLink(platform=platform)
    _apply(link, fields)
    errors: dict = {}
    if link.exit_date and link.entry_date and link.exit_date < link.entry_date:
        errors["exit_date"] = [_("The exit date cannot be before the entry date.")]
    return save_record(link, user=user, errors=errors)


def milestone_save(
    *, user, platform: Platform, milestone: Milestone | None = None, **fields
) -> Milestone:
    """Create or change a reform or construction task of a platform (bureau staff)."""
    _require(user, "platforms.manage")
    milestone = milestone or Milestone(platform=platform)
    _apply(milestone, fields)
    errors: dict = {}
    if milestone.status == "done" and not milestone.done_date:
        errors["done_date"] = [_("Enter the date the task was done.")]
    _check_file(milestone, "evidence", errors)
    return save_record(milestone, user=user, errors=errors)


def three_returns_save(*, user, record: ThreeReturns | None = None, **fields) -> ThreeReturns:
    """Record an enclave resident's three returns for a year (bureau staff)."""
    _require(user, "platforms.manage")
    record = record or ThreeReturns()
    _apply(record, fields)
    errors: dict = {}
    if (
        record.results_registered is not None
        and record.results_total is not None
        and record.results_registered > record.results_total
    ):
        errors["results_registered"] = [_("Cannot exceed the results created in the enclave.")]
    if record.enclave_id and record.enclave.kind != "enclave":
        errors["enclave"] = [_("Choose an off-site innovation enclave.")]
    _check_file(record, "evidence", errors)
    return save_record(record, user=user, errors=errors)


# ------------------------------------------------------------------ reporting round


def round_open(*, user, year: int, deadline: dt.date) -> ReportingRound:
    """Open the yearly reporting round (bureau staff)."""
    _require(user, "platforms.manage")
    existing = ReportingRound.objects.filter(year=year).first()
    round_ = existing or ReportingRound(year=year)
    round_.deadline, round_.is_open = deadline, True
    return save_record(round_, user=user)


def report_for(round_: ReportingRound, platform: Platform) -> PlatformReport:
    """The platform's report in the round, pre-filled with every figure the registry computes
    and the facts last accepted (not saved until the operator saves it)."""
    report = PlatformReport.objects.filter(round=round_, platform=platform).first()
    computed = {k: _plain(v) for k, v in kpi_values(platform, round_.year).items()}
    if report is None:
        values = {
            k.code: platform.facts.get(k.code)
            for k in kpis_for(platform.kind)
            if k.source == REPORTED
        }
        report = PlatformReport(round=round_, platform=platform, values={**values, **computed})
    else:
        report.values = {**(report.values or {}), **computed}
    return report


def _plain(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def _require_operator_of(user, platform: Platform) -> None:
    if not Platform.objects.for_user(user).filter(pk=platform.pk).exists() or not can(
        user, "platforms.report"
    ):
        raise PermissionDenied(_("You may not change this record."))


@transaction.atomic
def report_save(
    *, user, report: PlatformReport, values: dict, evidence=None, pledge=None
) -> PlatformReport:
    """The operator saves the yearly report (values of the reported KPIs, evidence, pledge)."""
    _require_operator_of(user, report.platform)
    if not report.round.is_open:
        raise ValidationError({"round": [_("The reporting round is closed.")]})
    if report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
        raise ValidationError({"status": [_("A submitted report can no longer be changed.")]})
    reported = {k.code for k in kpis_for(report.platform.kind) if k.source == REPORTED}
    report.values = {**(report.values or {}), **{k: v for k, v in values.items() if k in reported}}
    if evidence is not None:
        report.evidence = evidence
    if pledge is not None:
        report.pledge = pledge
    errors: dict = {}
    _check_file(report, "evidence", errors)
    _check_file(report, "pledge", errors)
    if report.status == ReportStatus.RETURNED:
        report.status = ReportStatus.DRAFT
    return save_record(report, user=user, errors=errors)


@transaction.atomic
def report_submit(*, user, report: PlatformReport) -> PlatformReport:
    """Submit the report to the bureau: it needs the evidence and the signed pledge."""
    _require_operator_of(user, report.platform)
    errors: dict = {}
    if not report.evidence:
        errors["evidence"] = [_("Upload the evidence before submitting.")]
    if not report.pledge:
        errors["pledge"] = [_("Upload the signed truthfulness pledge before submitting.")]
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        errors["status"] = [_("This report has already been submitted.")]
    if errors:
        raise ValidationError(errors)
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    return save_record(report, user=user)


@transaction.atomic
def report_review(
    *, user, report: PlatformReport, accept: bool, comment: str = ""
) -> PlatformReport:
    """Bureau staff accept a submitted report (its facts become the platform's) or return it
    with comments for revision."""
    _require(user, "platforms.manage")
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError({"status": [_("Only a submitted report can be reviewed.")]})
    comment = (comment or "").strip()
    if not accept and not comment:
        raise ValidationError({"review_comment": [_("Say what the operator should revise.")]})
    report.status = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
    report.review_comment = comment
    report.reviewed_at = timezone.now()
    save_record(report, user=user)
    if accept:
        platform = report.platform
        facts = dict(platform.facts or {})
        facts.update(
            {k: v for k, v in report.values.items() if k in FACT_KPIS and v not in (None, "")}
        )
        platform.facts = facts
        save_record(platform, user=user)
        data_changed()
    return report


# ------------------------------------------------------------------ evaluation


def _number(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(round(float(value), 2)))


@transaction.atomic
def evaluation_compute(
    *, user, platform: Platform, scheme: EvaluationScheme, year: int, expert=None, management=None
) -> Evaluation:
    """Score a platform for `year`: quantitative from its accepted report and computed KPIs,
    the expert and local-management scores entered, grade and consequence (with the grade of the
    previous evaluation)."""
    _require(user, "platforms.manage")
    errors: dict = {}
    for key, value in (("expert_score", expert), ("management_score", management)):
        if value is not None and not (0 <= Decimal(str(value)) <= 100):
            errors[key] = [_("Enter a score between 0 and 100.")]
    if scheme.kind != platform.kind:
        errors["scheme"] = [_("The scheme is for another platform type.")]
    if errors:
        raise ValidationError(errors)
    report = PlatformReport.objects.filter(
        platform=platform, round__year=year, status=ReportStatus.ACCEPTED
    ).first()
    values = {**(report.values if report else {}), **kpi_values(platform, year)}
    previous = list(
        Evaluation.objects.filter(platform=platform, year__lt=year)
        .order_by("year")
        .values_list("grade", flat=True)
    )
    result = scoring.score(scheme.config, values, expert, management, previous)
    evaluation = Evaluation.objects.filter(platform=platform, year=year).first() or Evaluation(
        platform=platform, year=year
    )
    evaluation.scheme = scheme
    evaluation.expert_score = None if expert is None else Decimal(str(expert))
    evaluation.management_score = None if management is None else Decimal(str(management))
    evaluation.quantitative_score = _number(result["quantitative"])
    evaluation.total = _number(result["total"])
    evaluation.grade = result["grade"]
    evaluation.consequence = result["consequence"]
    evaluation.detail = result["detail"]
    return save_record(evaluation, user=user)


@transaction.atomic
def evaluations_publish(*, user, year: int, kind: str, window_days: int = 5):
    """Publish the year's graded evaluations of a platform type for public notice."""
    _require(user, "platforms.manage")
    evaluations = list(
        Evaluation.objects.filter(year=year, platform__kind=kind, notice__isnull=True)
        .exclude(grade="")
        .select_related("platform")
        .order_by("platform__name")
    )
    if not evaluations:
        raise ValidationError(
            {"items": [_("No graded evaluation of this year is waiting to be published.")]}
        )
    label = str(Platform(kind=kind).get_kind_display())
    notice = notice_publish(
        kind=NoticeKind.PLATFORM_EVALUATION,
        title=f"{year}年度{label}绩效评价结果公示",
        body=f"现将{year}年度{label}绩效评价结果予以公示。公示期内如有异议，请提出。",
        items=[
            ItemSpec(
                obj=e,
                label=e.platform.name,
                fields=[("评价等级", e.grade), ("总分", e.total)],
            )
            for e in evaluations
        ],
        window_days=window_days,
        working_days=True,
        user=user,
    )
    for e in evaluations:
        e.notice = notice
        save_record(e, user=user)
    return notice


# ------------------------------------------------------------------ console writes


@transaction.atomic
def operator_set(*, user, member, platform: Platform | None) -> PlatformOperator | None:
    """Make `member` the operator of `platform` (None: of no platform), with history."""
    _require(user, "platforms.manage")
    row = PlatformOperator.objects.filter(user=member).first()
    if row is not None and (platform is None or row.platform_id != platform.pk):
        row._history_user = user  # type: ignore[attr-defined]
        row.delete()
        row = None
    if platform is None or row is not None:
        return row
    return save_record(PlatformOperator(user=member, platform=platform), user=user)


SCORE_PARTS = ("quantitative", "expert", "management")
GRADE_LIMITS = ("A", "B", "C")


@transaction.atomic
def scheme_parameters_update(
    *,
    user,
    scheme: EvaluationScheme,
    weights: dict[str, Decimal],
    grades: dict[str, Decimal],
    indicator_weights: dict[str, Decimal],
) -> EvaluationScheme:
    """Change the configurable numbers of an evaluation scheme (docs/platforms.md#evaluation):
    the weights of the three scores, the lower limits of grades A, B and C, and each
    indicator's weight. The scheme stays marked pending policy verification."""
    _require(user, "platforms.manage")
    errors: dict[str, list] = {}
    for key, value in {**weights, **indicator_weights}.items():
        if value < 0:
            errors.setdefault(f"w_{key}", []).append(_("A weight cannot be negative."))
    if sum(weights.get(k, Decimal(0)) for k in SCORE_PARTS) <= 0:
        errors.setdefault("w_quantitative", []).append(
            _("At least one of the three scores needs a weight.")
        )
    limits = [grades.get(g) for g in GRADE_LIMITS]
    for grade, limit in zip(GRADE_LIMITS, limits, strict=True):
        if limit is None or not (0 <= limit <= 100):
            errors.setdefault(f"g_{grade}", []).append(_("Enter a score between 0 and 100."))
    a, b, c = (limit or Decimal(0) for limit in limits)
    if not errors and not (a > b > c):
        errors.setdefault("g_B", []).append(
            _("The lower limits must go down from A to C (A above B above C).")
        )
    if errors:
        raise ValidationError(errors)
    config = dict(scheme.config or {})
    config["weights"] = {k: _plain(weights.get(k, Decimal(0))) for k in SCORE_PARTS}
    config["grades"] = [[g, _plain(grades[g])] for g in GRADE_LIMITS]
    config["indicators"] = [
        {**item, "weight": _plain(indicator_weights.get(item["code"], item.get("weight", 0)))}
        for item in config.get("indicators", [])
    ]
    scheme.config = config
    return save_record(scheme, user=user)
