"""Programmes from call to acceptance (docs/programmes.md): programme types and calls as
configuration, applications, expert review, decisions, projects with tranches and 拨改投
investments, mid-term and acceptance reports, in-app notifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from kechuang.core.models import ScopedQuerySet
from kechuang.core.validators import validate_single_line
from kechuang.enterprises.models import money_field

from .choices import (
    ApplicationStatus,
    AssignmentStatus,
    CallStatus,
    DecisionKind,
    FundingMode,
    InvestmentStatus,
    ProjectStatus,
    ReportKind,
    ReportOutcome,
    Stage,
    TrancheStatus,
)

__all__ = [
    "ProgrammeType",
    "Call",
    "Topic",
    "Application",
    "ApplicationAttachment",
    "WorkflowEvent",
    "ReviewAssignment",
    "ConflictRecord",
    "PanelDecision",
    "Project",
    "Tranche",
    "Investment",
    "ProgressReport",
    "Notification",
]


# ------------------------------------------------------------------ configuration


class ProgrammeType(models.Model):
    """A kind of programme (重点研发专项, 成果转化专项, …): every term is configuration."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64, validators=[validate_single_line])
    description = models.TextField(_("description"), blank=True, max_length=4000)
    funding_mode = models.CharField(
        _("funding mode"), max_length=16, choices=FundingMode.choices, default=FundingMode.GRANT
    )
    cap_yuan = money_field(_("funding cap per project (yuan)"))
    own_share_min_pct = models.DecimalField(
        _("minimum own-funds share (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    budget_categories = models.JSONField(_("budget categories"), default=list, blank=True)
    kpi_template = models.JSONField(_("KPI template"), default=list, blank=True)
    eligibility = models.JSONField(_("eligibility rule set"), default=dict, blank=True)
    review_scheme = models.JSONField(_("review scheme"), default=dict, blank=True)
    tranche_plan = models.JSONField(_("tranche plan"), default=list, blank=True)
    investment_terms = models.JSONField(_("investment terms"), default=dict, blank=True)
    notice_days = models.PositiveSmallIntegerField(_("notice period (days)"), default=5)
    notice_working_days = models.BooleanField(_("count working days"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme type")
        verbose_name_plural = _("programme types")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Call(models.Model):
    """A programme type's call (年度指南) for one year."""

    programme_type = models.ForeignKey(
        ProgrammeType, on_delete=models.PROTECT, related_name="calls", verbose_name=_("programme")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=128, validators=[validate_single_line])
    guide = models.TextField(_("guide"), blank=True, max_length=4000)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    total_budget_yuan = money_field(_("total budget (yuan)"))
    awards_expected = models.PositiveSmallIntegerField(_("awards expected"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-year", "programme_type__code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="%(app_label)s_%(class)s_closes_after_opening",
                violation_error_message=_("The closing time must be after the opening time."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programmes:call_detail", args=[self.pk])

    def accepting(self, now=None) -> bool:
        """Open for submissions at `now` (the server's clock decides, never the browser)."""
        now = now or timezone.now()
        return self.status == CallStatus.OPEN and self.opens_at <= now < self.closes_at


class Topic(models.Model):
    """A direction (方向) of a call, with the fields its experts should cover."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="topics")
    name = models.CharField(_("name"), max_length=128, validators=[validate_single_line])
    fields = models.CharField(_("fields"), max_length=255, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["call", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.name


# ------------------------------------------------------------------ applications


class ApplicationQuerySet(ScopedQuerySet):
    enterprise_path = "enterprise__"


class Application(models.Model):
    """An enterprise's application to a call; several users of the enterprise edit one draft
    (`version` guards against a stale save)."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="applications", null=True, blank=True
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="programme_applications"
    )
    title = models.CharField(_("project title"), max_length=128, blank=True)
    summary = models.TextField(_("summary"), blank=True, max_length=4000)
    objectives = models.TextField(_("objectives and content"), blank=True, max_length=4000)
    partners = models.JSONField(_("partners"), default=list, blank=True)
    kpis = models.JSONField(_("KPIs"), default=list, blank=True)
    budget = models.JSONField(_("budget"), default=list, blank=True)
    total_yuan = money_field(_("total budget (yuan)"))
    requested_yuan = money_field(_("requested funding (yuan)"))
    own_yuan = money_field(_("own funds (yuan)"))
    team = models.JSONField(_("team"), default=list, blank=True)
    schedule = models.JSONField(_("schedule"), default=list, blank=True)
    owner_name = models.CharField(_("project leader"), max_length=64, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    tracking_number = models.CharField(
        _("tracking number"), max_length=32, unique=True, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_pdf = models.FileField(
        _("submitted copy"), upload_to="programmes/submitted/%Y/", blank=True
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    eligibility = models.JSONField(_("eligibility at submission"), default=dict, blank=True)
    checks = models.JSONField(_("automatic checks"), default=list, blank=True)
    check_comment = models.TextField(_("formal-check comment"), blank=True, max_length=4000)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    score_dispersion = models.DecimalField(
        _("score dispersion"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    dispersion_flag = models.BooleanField(_("needs panel discussion"), default=False)
    rank = models.PositiveSmallIntegerField(_("rank in topic"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()
    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["call", "pk"]

    def __str__(self) -> str:
        return self.title or str(_("Untitled application"))

    def get_absolute_url(self) -> str:
        return reverse("programmes:application_detail", args=[self.pk])

    def text_for_matching(self) -> str:
        return " ".join(
            [self.title, self.summary, self.objectives, self.topic.fields if self.topic else ""]
        )


class ApplicationAttachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="programmes/attachments/%Y/")
    name = models.CharField(_("name"), max_length=128)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class WorkflowEvent(models.Model):
    """One applied transition (who, when, from → to, note): what the applicant sees as steps."""

    table = models.CharField(max_length=16)
    object_id = models.PositiveIntegerField()
    action = models.CharField(max_length=32)
    source = models.CharField(max_length=24)
    target = models.CharField(max_length=24)
    note = models.TextField(blank=True, max_length=4000)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["table", "object_id"])]

    def get_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))


ACTION_LABELS = {
    "submit": _("Submitted"),
    "resubmit": _("Resubmitted"),
    "withdraw": _("Withdrawn"),
    "return": _("Returned for revision"),
    "reject": _("Rejected at the formal check"),
    "pass_check": _("Formal check passed"),
    "start_review": _("Expert review started"),
    "approve": _("Approved by the panel"),
    "decline": _("Not approved by the panel"),
    "open": _("Opened"),
    "close": pgettext_lazy("programmes", "Closed"),
    "decide": _("Decided"),
    "notice": _("Publicly noticed"),
    "finalise": _("Final list published"),
    "hold": _("Held: objection open"),
    "release": _("Released after the objection"),
    "withdraw_award": _("Award cancelled"),
    "confirm": _("On the final list"),
    "sign": _("Contract signed"),
    "accept": pgettext_lazy("programmes", "Accepted"),
    "accept_conditional": _("Accepted with conditions"),
    "fail": _("Failed acceptance"),
}


# ------------------------------------------------------------------ review


class ReviewAssignment(models.Model):
    """An expert's seat on an application (review) or on a project's acceptance panel."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    expert = models.ForeignKey(
        "experts.Expert", on_delete=models.PROTECT, related_name="programme_assignments"
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.REVIEW)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ASSIGNED,
    )
    fit = models.DecimalField(_("field fit"), max_digits=5, decimal_places=3, default=0)
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)
    declaration = models.TextField(_("declaration"), blank=True, max_length=4000)
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    total = models.DecimalField(
        _("total score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    comments = models.TextField(_("comments"), blank=True, max_length=4000)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        ordering = ["application", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "expert", "stage"],
                name="%(app_label)s_%(class)s_one_seat",
                violation_error_message=_("This expert already has a seat on this application."),
            )
        ]

    @property
    def may_see(self) -> bool:
        """Declared no conflict: the application's content is visible."""
        return self.status in (AssignmentStatus.DECLARED, AssignmentStatus.SUBMITTED)


class ConflictRecord(models.Model):
    """A detected or declared conflict of interest, with its reason (never deleted)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    expert = models.ForeignKey(
        "experts.Expert", on_delete=models.CASCADE, related_name="programme_conflicts"
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.REVIEW)
    kind = models.CharField(_("kind"), max_length=32)
    reason = models.CharField(_("reason"), max_length=255)
    source = models.CharField(_("source"), max_length=32)
    detected_at = models.DateTimeField(_("detected at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["application", "expert", "pk"]


class PanelDecision(models.Model):
    """The panel's (会议评审) decision on an application, with its reasons."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision"
    )
    decision = models.CharField(_("decision"), max_length=16, choices=DecisionKind.choices)
    amount_yuan = money_field(_("funding awarded (yuan)"))
    invest = models.BooleanField(_("as an investment (拨改投)"), default=False)
    reasons = models.TextField(_("reasons"), max_length=4000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("panel decision")
        verbose_name_plural = _("panel decisions")


# ------------------------------------------------------------------ projects


class ProjectQuerySet(ScopedQuerySet):
    enterprise_path = "application__enterprise__"


class Project(models.Model):
    """An approved application from the notice to acceptance."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="project"
    )
    number = models.CharField(_("project number"), max_length=32, unique=True)
    status = models.CharField(
        _("status"), max_length=24, choices=ProjectStatus.choices, default=ProjectStatus.NOTICED
    )
    grant_yuan = money_field(_("grant committed (yuan)"))
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    signed_copy = models.FileField(
        _("signed contract"), upload_to="programmes/contracts/%Y/", blank=True
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()
    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.application.title}"

    def get_absolute_url(self) -> str:
        return reverse("programmes:project_detail", args=[self.pk])


class ProjectOwnedQuerySet(ScopedQuerySet):
    enterprise_path = "project__application__enterprise__"


class Tranche(models.Model):
    """One payment of a grant (or an investment's milestone tranche)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tranches")
    seq = models.PositiveSmallIntegerField(_("no."))
    label = models.CharField(_("label"), max_length=64)
    after = models.CharField(_("due after"), max_length=16, blank=True)
    share_pct = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    amount_yuan = money_field(_("amount (yuan)"))
    status = models.CharField(
        _("status"), max_length=16, choices=TrancheStatus.choices, default=TrancheStatus.PLANNED
    )
    hold_reason = models.TextField(_("hold reason"), blank=True, max_length=4000)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    history = HistoricalRecords()
    objects = ProjectOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ["project", "seq"]


class Investment(models.Model):
    """A 拨改投 stake taken instead of or beside a grant; every term is configuration."""

    project = models.OneToOneField(Project, on_delete=models.PROTECT, related_name="investment")
    amount_yuan = money_field(_("amount invested (yuan)"))
    pre_money_yuan = money_field(_("pre-money valuation (yuan)"))
    stake_pct = models.DecimalField(_("stake (%)"), max_digits=7, decimal_places=4)
    co_investors = models.JSONField(_("co-investors"), default=list, blank=True)
    lockup_months = models.PositiveSmallIntegerField(_("lock-up (months)"), null=True, blank=True)
    exit_terms = models.JSONField(_("exit terms"), default=dict, blank=True)
    milestones = models.JSONField(_("milestones"), default=list, blank=True)
    invested_on = models.DateField(_("invested on"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InvestmentStatus.choices,
        default=InvestmentStatus.HOLDING,
    )
    exited_on = models.DateField(_("exited on"), null=True, blank=True)
    exit_proceeds_yuan = money_field(_("exit proceeds (yuan)"))
    history = HistoricalRecords()
    objects = ProjectOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("investment")
        verbose_name_plural = _("investments")
        ordering = ["-invested_on", "pk"]


class ProgressReport(models.Model):
    """A mid-term or acceptance report: KPIs reported with evidence, the panel's outcome."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("kind"), max_length=16, choices=ReportKind.choices)
    due_on = models.DateField(_("due on"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    kpis = models.JSONField(_("KPIs reported"), default=list, blank=True)
    narrative = models.TextField(_("progress"), blank=True, max_length=4000)
    evidence = models.FileField(_("evidence"), upload_to="programmes/evidence/%Y/", blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=ReportOutcome.choices, default=ReportOutcome.PENDING
    )
    panel_reasons = models.TextField(_("panel conclusion"), blank=True, max_length=4000)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()
    objects = ProjectOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["due_on", "pk"]


class Notification(models.Model):
    """An in-app reminder (due reports, steps of an application)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_notifications"
    )
    text = models.CharField(_("text"), max_length=255)
    url = models.CharField(_("link"), max_length=255, blank=True)
    key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=~models.Q(key=""),
                name="%(app_label)s_%(class)s_once",
            )
        ]
