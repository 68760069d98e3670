"""Campaigns and visits (全覆盖) and the S&T service alliance (科技服务联盟).

Campaign → one VisitTask per target enterprise → VisitRecords (one record may serve several open
tasks of one enterprise). TrainingAttendance records who came to a training campaign. Agencies
offer ServicePackages; their users are AgencyMembers; an enterprise delegates to an agency for a
period (Delegation), and the agency may then submit collected R&D expense (RDSubmission) that the
enterprise confirms. Every model keeps its history (django-simple-history).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kechuang.core.access import ScopeKind, role_scope
from kechuang.core.models import ScopedQuerySet
from kechuang.core.validators import validate_plain_text, validate_single_line
from kechuang.enterprises.models import HighTechRdCategories, money_field

from .choices import CampaignKind, DelegationStatus, SubmissionStatus, TaskState
from .constants import ATTACHMENT_EXTENSIONS, RD_CATEGORY_FIELDS
from .logic.workflow import is_overdue

__all__ = [
    "Campaign",
    "VisitTask",
    "VisitRecord",
    "VisitAttachment",
    "TrainingAttendance",
    "EnterpriseContact",
    "Agency",
    "ServicePackage",
    "AgencyMember",
    "Delegation",
    "RDSubmission",
]


def attachment_size_validator(file) -> None:
    """Size (counted while reading) and content matching the extension."""
    from .attachments import check_attachment

    check_attachment(file)


# ------------------------------------------------------------------ Campaign


class Campaign(models.Model):
    """A "full coverage" campaign: a kind of service delivered to every enterprise of a target set.

    `year` is the data year the target set refers to (e.g. zero R&D declared for 2024);
    `target_spec` is the saved filter that defined it (selectors.TARGET_RESOLVERS).
    """

    name = models.CharField(_("name"), max_length=128, validators=[validate_single_line])
    year = models.PositiveSmallIntegerField(_("year"), help_text=_("Data year of the target set"))
    kind = models.CharField(_("kind"), max_length=32, choices=CampaignKind.choices)
    target_spec = models.JSONField(_("target set (saved filter)"), default=dict)
    due_date = models.DateField(_("due date"))
    description = models.TextField(
        _("description"), max_length=2000, blank=True, validators=[validate_plain_text]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:campaign_detail", args=[self.pk])

    @property
    def target_label(self) -> str:
        """The saved filter in words, e.g. "2024 · zero R&D · 浒山街道 · high-tech/tech SME only"."""
        from kechuang.regions.models import Town

        from .choices import TargetKind

        spec = self.target_spec or {}
        kind = spec.get("kind", "")
        parts = [
            str(spec.get("year", "")),
            str(TargetKind(kind).label) if kind in TargetKind.values else kind,
        ]
        if spec.get("town"):
            parts.append(str(Town.objects.filter(pk=spec["town"]).first() or spec["town"]))
        if spec.get("industry"):
            parts.append(str(_("industry division %(code)s") % {"code": spec["industry"]}))
        if spec.get("contradiction_only"):
            parts.append(str(_("only high-tech / tech-SME enterprises")))
        return " · ".join(p for p in parts if p)

    @property
    def target_reason(self) -> str:
        """Why an enterprise is on this campaign's list: the saved filter as a sentence."""
        return describe_target_spec(self.target_spec or {})


def describe_target_spec(spec: dict) -> str:
    """A saved filter (logic.targets) in words, e.g. "2024年度规上工业企业，统计口径研发费用为零
    或未填报；且年末持有有效高新技术企业证书或当年入库国家科技型中小企业；镇街：浒山街道"."""
    from kechuang.enterprises.logic.industry import DIVISIONS
    from kechuang.regions.models import Town

    from .choices import TargetKind

    year = spec.get("year", "")
    if spec.get("kind") == TargetKind.ZERO_RD:
        parts = [
            str(
                _(
                    "An above-scale industrial enterprise in %(year)s whose R&D expense in the "
                    "statistics is zero or empty"
                )
                % {"year": year}
            )
        ]
        if spec.get("contradiction_only"):
            parts.append(
                str(
                    _(
                        "while it held a valid high-tech enterprise certificate at the end of "
                        "the year or was filed as a national tech SME that year"
                    )
                )
            )
    else:
        parts = [
            str(_("An above-scale industrial enterprise in %(year)s (all of them are served)"))
            % {"year": year}
        ]
    if spec.get("town"):
        town = Town.objects.filter(pk=spec["town"]).values_list("name", flat=True).first()
        parts.append(str(_("town/street: %(town)s")) % {"town": town or spec["town"]})
    if spec.get("industry"):
        code = spec["industry"]
        parts.append(
            str(_("industry division: %(code)s %(name)s"))
            % {"code": code, "name": DIVISIONS.get(code, "")}
        )
    return str(_("; ")).join(parts)


# ------------------------------------------------------------------ VisitTask


class VisitTaskQuerySet(models.QuerySet):
    def for_user(self, user):
        """Tasks a user may see: bureau staff all; a town officer those assigned to them or of
        enterprises in their town; an agency member those assigned to them whose enterprise
        currently delegates to their agency; everyone else (leaders included) none."""
        from kechuang.core.permissions import user_role, user_scope
        from kechuang.core.roles import STAFF_ROLES, Role

        role = user_role(user)
        if role in STAFF_ROLES:
            return self
        scope = user_scope(user)
        if role == Role.TOWN_OFFICER:
            return self.filter(Q(assignee=user) | Q(enterprise__town_id__in=scope.town_ids))
        if role == Role.AGENCY:
            return self.filter(assignee=user, enterprise_id__in=scope.enterprise_ids)
        return self.none()

    def open(self):
        return self.exclude(state=TaskState.CLOSED)

    def overdue(self, today: dt.date):
        return self.open().filter(due_date__lt=today)


class VisitTask(models.Model):
    """One enterprise to serve in one campaign, assigned to one person, with a due date.

    Assigned automatically to the town officer of the enterprise's town; `assignee` is empty when
    the town has no officer (the task is then flagged for assignment).
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tasks")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="visit_tasks",
        verbose_name=_("enterprise"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visit_tasks",
        verbose_name=_("assignee"),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=TaskState.choices, default=TaskState.PENDING
    )
    due_date = models.DateField(_("due date"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = VisitTaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "enterprise_id", "id"]
        verbose_name = _("visit task")
        verbose_name_plural = _("visit tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "enterprise"],
                name="%(app_label)s_%(class)s_unique_campaign_enterprise",
                violation_error_message=_("This enterprise already has a task in this campaign."),
            )
        ]
        indexes = [
            models.Index(fields=["enterprise", "state", "due_date"]),
            # The campaign list's progress counts per campaign, from the index alone
            # (docs/performance.md#list-pages).
            models.Index(fields=["campaign", "state", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.enterprise}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:task_detail", args=[self.pk])

    def is_overdue_on(self, today: dt.date) -> bool:
        return is_overdue(self.due_date, self.state, today)

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(dt.date.today())

    @property
    def needs_assignment(self) -> bool:
        return self.assignee_id is None


class VisitRecord(models.Model):
    """What happened at one visit. One record may serve several open tasks of one enterprise
    (two campaigns due the same month): the enterprise is not visited twice."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="visit_records"
    )
    tasks = models.ManyToManyField(VisitTask, related_name="records", verbose_name=_("tasks"))
    visit_date = models.DateField(_("visit date"))
    people_met = models.CharField(_("people met"), max_length=255)
    findings = models.TextField(_("findings"), max_length=4000, validators=[validate_plain_text])
    agreed_actions = models.TextField(
        _("agreed actions"), max_length=2000, blank=True, validators=[validate_plain_text]
    )
    outcome = models.CharField(
        _("tasks moved to"), max_length=16, choices=TaskState.choices, default=TaskState.VISITED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[tasks])

    class Meta:
        ordering = ["-visit_date", "-id"]
        verbose_name = _("visit record")
        verbose_name_plural = _("visit records")

    def __str__(self) -> str:
        return f"{self.enterprise} {self.visit_date}"


class VisitAttachment(models.Model):
    """A file kept with a visit record (photos, signed sheets); size and type are checked."""

    record = models.ForeignKey(VisitRecord, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        _("file"),
        upload_to="visits/%Y/%m/",
        validators=[
            FileExtensionValidator(allowed_extensions=list(ATTACHMENT_EXTENSIONS)),
            attachment_size_validator,
        ],
    )
    name = models.CharField(_("file name"), max_length=255)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class TrainingAttendance(models.Model):
    """An enterprise that attended a training campaign's session."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="attendance")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="+"
    )
    session_date = models.DateField(_("session date"))
    attendees = models.PositiveSmallIntegerField(
        _("people attending"), default=1, validators=[MinValueValidator(1)]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["campaign_id", "session_date", "enterprise_id"]
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "enterprise", "session_date"],
                name="%(app_label)s_%(class)s_unique_campaign_enterprise_date",
                violation_error_message=_("This attendance is already recorded."),
            )
        ]


# ------------------------------------------------------------------ EnterpriseContact


class EnterpriseContact(models.Model):
    """The person a visiting officer asks for at an enterprise (走访联系人) and how to reach
    them: kept by the bureau's visit work and updated from the visit task page."""

    enterprise = models.OneToOneField(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="visit_contact",
        verbose_name=_("enterprise"),
    )
    person = models.CharField(_("contact person"), max_length=64)
    position = models.CharField(_("position"), max_length=64, blank=True)
    phone = models.CharField(
        _("contact phone"),
        max_length=32,
        blank=True,
        validators=[
            RegexValidator(
                r"^[0-9Xx+()\- ]{5,32}$",
                message=_("Digits, spaces, “-”, “+” and brackets only, e.g. 0574-63001234."),
            )
        ],
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("enterprise contact")
        verbose_name_plural = _("enterprise contacts")

    def __str__(self) -> str:
        return self.person


# ------------------------------------------------------------------ Agency


class AgencyQuerySet(models.QuerySet):
    def for_user(self, user):
        """Agencies a user may see (access policy "agencies.view"): all, the user's own, none."""
        kind = role_scope(user, "agencies.view")
        if kind == ScopeKind.ALL:
            return self
        if kind == ScopeKind.OWN:
            return self.filter(members__user=user)
        return self.none()


class Agency(models.Model):
    """A member of the S&T service alliance (科技服务联盟), e.g. an accounting agent."""

    name = models.CharField(
        _("name"), max_length=128, unique=True, validators=[validate_single_line]
    )
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    services = models.TextField(
        _("services offered"), max_length=2000, blank=True, validators=[validate_plain_text]
    )
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("service agency")
        verbose_name_plural = _("service agencies")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:agency_detail", args=[self.pk])


class ServicePackage(models.Model):
    """A service package an agency offers (e.g. 研发投入归集会计代理), money in yuan."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="packages")
    name = models.CharField(_("name"), max_length=128, validators=[validate_single_line])
    included = models.TextField(
        _("what is included"), max_length=2000, validators=[validate_plain_text]
    )
    price = money_field(_("price (yuan)"), null=False, blank=False)
    subsidy = money_field(
        _("subsidy (yuan)"), null=False, blank=False, help_text=_("Paid by the bureau")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["agency_id", "name"]
        verbose_name = _("service package")
        verbose_name_plural = _("service packages")
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=0) & Q(subsidy__gte=0) & Q(subsidy__lte=models.F("price")),
                name="%(app_label)s_%(class)s_subsidy_within_price",
                violation_error_message=_("The subsidy must be between 0 and the price."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def net_price(self):
        return self.price - self.subsidy


class AgencyMember(models.Model):
    """A user who works for an agency (role group "agency")."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="members")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agency_membership"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agency member")
        verbose_name_plural = _("agency members")

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency}"


class DelegationQuerySet(ScopedQuerySet):
    enterprise_path = "enterprise__"

    def active_on(self, date: dt.date):
        """Delegations in force on `date`: start ≤ date ≤ end and not ended."""
        return self.filter(status=DelegationStatus.ACTIVE, start_date__lte=date, end_date__gte=date)

    def for_user(self, user):
        """Delegations a user may see (access policy "delegations.view"): bureau staff all; an
        enterprise its own; an agency its own agency's, only for enterprises it may still see
        (past delegations stay listed)."""
        kind = role_scope(user, "delegations.view")
        if kind == ScopeKind.ALL:
            return self
        if kind != ScopeKind.OWN:
            return self.none()
        scoped = super().for_user(user)
        if role_scope(user, "agencies.view") == ScopeKind.OWN:
            return scoped.filter(agency__members__user=user)
        return scoped


class RDSubmissionQuerySet(ScopedQuerySet):
    enterprise_path = "enterprise__"

    def for_user(self, user):
        """Submissions a user may see (access policy "submissions.view"): bureau staff all; an
        enterprise those for it; an agency those it made for enterprises that still delegate
        to it."""
        kind = role_scope(user, "submissions.view")
        if kind == ScopeKind.ALL:
            return self
        if kind == ScopeKind.NONE:
            return self.none()
        scoped = super().for_user(user)
        if kind == ScopeKind.DELEGATED:
            return scoped.filter(agency__members__user=user)
        return scoped


class Delegation(models.Model):
    """An enterprise's delegation of its R&D work to an agency for a period (inclusive)."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="delegations",
        verbose_name=_("enterprise"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="delegations", verbose_name=_("agency")
    )
    package = models.ForeignKey(
        ServicePackage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service package"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DelegationStatus.choices,
        default=DelegationStatus.ACTIVE,
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()
    objects = DelegationQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="%(app_label)s_%(class)s_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.agency}"

    def is_active_on(self, date: dt.date) -> bool:
        return self.status == DelegationStatus.ACTIVE and self.start_date <= date <= self.end_date

    @property
    def is_active(self) -> bool:
        return self.is_active_on(dt.date.today())


class RDSubmission(HighTechRdCategories):
    """R&D expense by high-tech-scope category that an agency collected for a delegating
    enterprise; written to the enterprise's yearly figures only when the enterprise confirms."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="rd_submissions"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="rd_submissions")
    year = models.PositiveSmallIntegerField(_("year"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.PENDING,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = RDSubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("R&D expense submission")
        verbose_name_plural = _("R&D expense submissions")

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"

    @property
    def categories(self) -> dict:
        return {name: getattr(self, name) for name in RD_CATEGORY_FIELDS}

    @property
    def total(self):
        values = [v for v in self.categories.values() if v is not None]
        return sum(values) if values else None
