"""Cooperation: technology demands, achievements, ranked matches, brokering records, technical
contracts and their registration, cooperation events and competitions (docs/cooperation.md).

Every model keeps its history (django-simple-history); every write goes through services.py.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kechuang.core.models import ProvenanceMixin
from kechuang.core.permissions import user_role, user_scope
from kechuang.core.roles import STAFF_ROLES, Role
from kechuang.core.validators import validate_plain_text, validate_single_line
from kechuang.enterprises.models import industry_code_validator, money_field
from kechuang.experts.models import member_organisation_ids

from . import constants
from .choices import (
    BrokeringStage,
    CompetitionDivision,
    CompetitionGroup,
    CompetitionStage,
    CompetitionTrack,
    ContractType,
    CooperationMode,
    DemandSource,
    DemandStatus,
    EventKind,
    Maturity,
    RegistrationStatus,
)
from .logic import contracts as contract_rules

__all__ = [
    "TechDemand",
    "Achievement",
    "DemandMatch",
    "MatchVector",
    "CooperationEvent",
    "BrokeringRecord",
    "BrokeringStep",
    "TechContract",
    "Competition",
    "CompetitionEntrant",
    "CompetitionResult",
]

CONTRACT_EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "docx")


def contract_file_validator(file) -> None:
    """The written contract: an allowed type whose content matches its extension, within size."""
    from kechuang.campaigns.attachments import check_attachment

    check_attachment(file)


def _organisation_ids(user) -> list[int]:
    """The organisations a university/institute user belongs to (experts.OrganisationMember)."""
    cached = getattr(user, "_kechuang_organisations", None)
    if cached is None:
        cached = member_organisation_ids(user)
        user._kechuang_organisations = cached
    return cached


# ------------------------------------------------------------------ Events


class CooperationEvent(models.Model):
    """A cooperation event, e.g. one 千企百校万里行 visit to a university's strong disciplines with
    enterprises and their demands; matches made there are brokering records naming the event."""

    name = models.CharField(_("name"), max_length=128, validators=[validate_single_line])
    kind = models.CharField(
        _("kind"), max_length=24, choices=EventKind.choices, default=EventKind.QIANQI_BAIXIAO
    )
    date = models.DateField(_("date"))
    organisations = models.ManyToManyField(
        "experts.Organisation",
        blank=True,
        related_name="cooperation_events",
        verbose_name=_("universities / institutes visited"),
    )
    disciplines = models.CharField(
        _("disciplines and platforms"),
        max_length=500,
        blank=True,
        validators=[validate_single_line],
    )
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise", blank=True, related_name="+", verbose_name=_("enterprises")
    )
    experts = models.ManyToManyField(
        "experts.Expert",
        blank=True,
        related_name="cooperation_events",
        verbose_name=_("experts met"),
    )
    follow_ups = models.TextField(
        _("follow-ups"), max_length=4000, blank=True, validators=[validate_plain_text]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    history = HistoricalRecords(m2m_fields=[organisations, enterprises, experts])

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("cooperation event")
        verbose_name_plural = _("cooperation events")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cooperation:event_detail", args=[self.pk])


# ------------------------------------------------------------------ Demands


class TechDemandQuerySet(models.QuerySet):
    def for_user(self, user):
        """Bureau staff all; a town officer the demands of the town's enterprises; an enterprise
        its own; an agency those of the enterprises that delegate to it; a university user the
        demands matched to its institution's achievements; others none."""
        role = user_role(user)
        if role in STAFF_ROLES:
            return self
        scope = user_scope(user)
        if role == Role.TOWN_OFFICER:
            return self.filter(enterprise__town_id__in=scope.town_ids)
        if role in (Role.ENTERPRISE, Role.AGENCY):
            return self.filter(enterprise_id__in=scope.enterprise_ids)
        if role == Role.UNIVERSITY:
            orgs = _organisation_ids(user)
            return self.filter(
                Q(matches__achievement__organisation_id__in=orgs)
                | Q(brokering__supplier_id__in=orgs)
            ).distinct()
        return self.none()

    def live(self):
        return self.filter(
            status__in=[DemandStatus.OPEN, DemandStatus.MATCHED, DemandStatus.NEGOTIATING]
        )


class TechDemand(ProvenanceMixin):
    """An enterprise's technology demand (技术需求), in its own words."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="tech_demands",
        verbose_name=_("enterprise"),
    )
    title = models.CharField(_("title"), max_length=128, validators=[validate_single_line])
    summary = models.CharField(
        _("public summary"),
        max_length=300,
        validators=[validate_single_line],
        help_text=_("Shown to everyone who may see the demand."),
    )
    description = models.TextField(_("details"), max_length=4000, validators=[validate_plain_text])
    industry_code = models.CharField(
        _("industry code"), max_length=4, blank=True, validators=[industry_code_validator]
    )
    field = models.CharField(
        _("technical field"), max_length=64, blank=True, validators=[validate_single_line]
    )
    budget_min = money_field(_("budget from (yuan)"), validators=[MinValueValidator(0)])
    budget_max = money_field(_("budget up to (yuan)"), validators=[MinValueValidator(0)])
    deadline = models.DateField(_("wanted by"), null=True, blank=True)
    mode = models.CharField(
        _("cooperation mode"),
        max_length=16,
        choices=CooperationMode.choices,
        default=CooperationMode.DEVELOPMENT,
    )
    confidential = models.BooleanField(
        _("details confidential"),
        default=False,
        help_text=_("Details only for bureau staff and suppliers matched in brokering."),
    )
    origin = models.CharField(
        _("source"), max_length=16, choices=DemandSource.choices, default=DemandSource.ENTERPRISE
    )
    visit_record = models.ForeignKey(
        "campaigns.VisitRecord",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tech_demands",
        verbose_name=_("visit record"),
    )
    event = models.ForeignKey(
        CooperationEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demands",
        verbose_name=_("event"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DemandStatus.choices, default=DemandStatus.OPEN
    )
    posted_on = models.DateField(_("posted on"), default=dt.date.today)
    expires_on = models.DateField(_("open until"))
    renewals = models.PositiveSmallIntegerField(_("renewals"), default=0)
    close_reason = models.CharField(
        _("reason for closing"), max_length=300, blank=True, validators=[validate_single_line]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords()
    objects = TechDemandQuerySet.as_manager()

    class Meta:
        ordering = ["-posted_on", "-id"]
        verbose_name = _("technology demand")
        verbose_name_plural = _("technology demands")
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_min__isnull=True)
                | Q(budget_max__isnull=True)
                | Q(budget_max__gte=models.F("budget_min")),
                name="cooperation_demand_budget_ordered",
                violation_error_message=_("The budget's upper end is below its lower end."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cooperation:demand_detail", args=[self.pk])

    @property
    def match_text(self) -> str:
        return f"{self.title}。{self.summary}。{self.description}"


# ------------------------------------------------------------------ Achievements


class AchievementQuerySet(models.QuerySet):
    def for_user(self, user):
        """Bureau staff and town officers all (they broker); a university user its own
        institution's; an enterprise or agency user the achievements matched to the demands it
        sees; others none."""
        role = user_role(user)
        if role in STAFF_ROLES or role == Role.TOWN_OFFICER:
            return self
        if role == Role.UNIVERSITY:
            return self.filter(organisation_id__in=_organisation_ids(user))
        if role in (Role.ENTERPRISE, Role.AGENCY):
            ids = user_scope(user).enterprise_ids
            return self.filter(
                Q(matches__demand__enterprise_id__in=ids)
                | Q(brokering__demand__enterprise_id__in=ids)
            ).distinct()
        return self.none()


class Achievement(ProvenanceMixin):
    """A scientific or technological achievement (科技成果) offered for cooperation, in the
    institution's own, usually mechanism-level, language."""

    organisation = models.ForeignKey(
        "experts.Organisation",
        on_delete=models.PROTECT,
        related_name="achievements",
        verbose_name=_("institution"),
    )
    title = models.CharField(_("title"), max_length=160, validators=[validate_single_line])
    summary = models.TextField(_("summary"), max_length=4000, validators=[validate_plain_text])
    field = models.CharField(
        _("technical field"), max_length=64, blank=True, validators=[validate_single_line]
    )
    keywords = models.CharField(
        _("keywords"),
        max_length=300,
        blank=True,
        validators=[validate_single_line],
        help_text=_("Separated by commas or 、"),
    )
    maturity = models.CharField(
        _("maturity"), max_length=16, choices=Maturity.choices, default=Maturity.LAB
    )
    ip = models.CharField(
        _("IP attached"), max_length=300, blank=True, validators=[validate_single_line]
    )
    mode = models.CharField(
        _("expected cooperation mode"),
        max_length=16,
        choices=CooperationMode.choices,
        default=CooperationMode.TRANSFER,
    )
    contact_expert = models.ForeignKey(
        "experts.Expert",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="achievements",
        verbose_name=_("contact expert"),
    )
    active = models.BooleanField(_("offered"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords()
    objects = AchievementQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "title", "id"]
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "title"],
                name="cooperation_achievement_unique_title",
                violation_error_message=_("This institution already has an achievement so named."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cooperation:achievement_detail", args=[self.pk])

    @property
    def keyword_list(self) -> list[str]:
        import re

        return [k for k in re.split(r"[,，、;；\s]+", self.keywords or "") if k]

    @property
    def match_text(self) -> str:
        return f"{self.title}。{self.summary}。{' '.join(self.keyword_list)}"


class DemandMatch(models.Model):
    """One ranked supplier of a demand (kept when the demand or an achievement changes), with
    the reasons the matching gave."""

    demand = models.ForeignKey(TechDemand, on_delete=models.CASCADE, related_name="matches")
    achievement = models.ForeignKey(Achievement, on_delete=models.CASCADE, related_name="matches")
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.FloatField(_("score"))
    why = models.JSONField(_("reasons"), default=dict)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        ordering = ["demand", "rank"]
        verbose_name = _("ranked supplier")
        verbose_name_plural = _("ranked suppliers")
        constraints = [
            models.UniqueConstraint(
                fields=["demand", "achievement"], name="cooperation_match_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.demand_id} → {self.achievement_id}"


class MatchVector(models.Model):
    """The matching engine's dense vector of one achievement or demand (derived data, like the
    ranked suppliers: computed in the background from the record's text, never edited;
    docs/matching.md#stored-vectors). ``fingerprint`` identifies the model and the text it was
    computed from; a record whose text changed gets a new vector."""

    achievement = models.OneToOneField(
        Achievement, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    demand = models.OneToOneField(
        TechDemand, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    fingerprint = models.CharField(_("fingerprint"), max_length=40)
    vector = models.BinaryField(_("vector"))
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("matching vector")
        verbose_name_plural = _("matching vectors")
        constraints = [
            models.CheckConstraint(
                condition=Q(achievement__isnull=False, demand__isnull=True)
                | Q(achievement__isnull=True, demand__isnull=False),
                name="cooperation_vector_one_record",
            )
        ]

    def __str__(self) -> str:
        return f"A{self.achievement_id}" if self.achievement_id else f"D{self.demand_id}"


# ------------------------------------------------------------------ Brokering


class BrokeringQuerySet(models.QuerySet):
    def for_user(self, user):
        """Staff all; a town officer those of the town's demands or brokered by them; an
        enterprise those of its demands; an agency those it brokers or of its delegating
        enterprises; a university user those naming its institution's achievements."""
        role = user_role(user)
        if role in STAFF_ROLES:
            return self
        scope = user_scope(user)
        if role == Role.TOWN_OFFICER:
            return self.filter(Q(demand__enterprise__town_id__in=scope.town_ids) | Q(officer=user))
        if role == Role.ENTERPRISE:
            return self.filter(demand__enterprise_id__in=scope.enterprise_ids)
        if role == Role.AGENCY:
            member = getattr(user, "agency_membership", None)
            return self.filter(
                Q(demand__enterprise_id__in=scope.enterprise_ids)
                | Q(agency_id=getattr(member, "agency_id", None))
            )
        if role == Role.UNIVERSITY:
            return self.filter(supplier_id__in=_organisation_ids(user))
        return self.none()


class BrokeringRecord(models.Model):
    """Brokering (撮合) of one demand with one supplier: an achievement and/or a named expert."""

    demand = models.ForeignKey(
        TechDemand, on_delete=models.CASCADE, related_name="brokering", verbose_name=_("demand")
    )
    achievement = models.ForeignKey(
        Achievement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="brokering",
        verbose_name=_("achievement"),
    )
    supplier = models.ForeignKey(
        "experts.Organisation",
        on_delete=models.PROTECT,
        related_name="brokering",
        verbose_name=_("supplier (institution)"),
    )
    expert = models.ForeignKey(
        "experts.Expert",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="brokering",
        verbose_name=_("expert"),
    )
    event = models.ForeignKey(
        CooperationEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="brokering",
        verbose_name=_("started at event"),
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("officer"),
    )
    agency = models.ForeignKey(
        "campaigns.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service agency"),
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=BrokeringStage.choices, default=BrokeringStage.CANDIDATE
    )
    started_on = models.DateField(_("started on"))
    stage_on = models.DateField(_("stage since"))
    close_reason = models.CharField(
        _("reason for closing"), max_length=300, blank=True, validators=[validate_single_line]
    )
    history = HistoricalRecords()
    objects = BrokeringQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("brokering record")
        verbose_name_plural = _("brokering records")

    def __str__(self) -> str:
        return f"{self.demand} ↔ {self.supplier}"

    def get_absolute_url(self) -> str:
        return reverse("cooperation:brokering_detail", args=[self.pk])


class BrokeringStep(models.Model):
    """One dated step of a brokering record (contact, meeting, negotiation, contract, closing)."""

    record = models.ForeignKey(BrokeringRecord, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(_("stage"), max_length=16, choices=BrokeringStage.choices)
    date = models.DateField(_("date"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("officer"),
    )
    agency = models.ForeignKey(
        "campaigns.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service agency"),
    )
    people = models.CharField(
        _("people"), max_length=255, blank=True, validators=[validate_single_line]
    )
    notes = models.TextField(
        _("notes"), max_length=2000, blank=True, validators=[validate_plain_text]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("brokering step")
        verbose_name_plural = _("brokering steps")

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.date}"


# ------------------------------------------------------------------ Technical contracts


class TechContractQuerySet(models.QuerySet):
    def for_user(self, user):
        """Staff all; a town officer contracts whose seller or buyer is an enterprise of the
        town; an enterprise or agency those of its (delegating) enterprises; a university user
        those its institution sells."""
        role = user_role(user)
        if role in STAFF_ROLES:
            return self
        scope = user_scope(user)
        if role == Role.TOWN_OFFICER:
            return self.filter(
                Q(seller_enterprise__town_id__in=scope.town_ids)
                | Q(buyer_enterprise__town_id__in=scope.town_ids)
            )
        if role in (Role.ENTERPRISE, Role.AGENCY):
            ids = scope.enterprise_ids
            return self.filter(Q(seller_enterprise_id__in=ids) | Q(buyer_enterprise_id__in=ids))
        if role == Role.UNIVERSITY:
            return self.filter(seller_organisation_id__in=_organisation_ids(user))
        return self.none()

    def registered(self):
        return self.filter(status=RegistrationStatus.REGISTERED)

    def pending(self):
        return self.filter(status__in=[RegistrationStatus.APPLIED, RegistrationStatus.ACCEPTED])


class TechContract(models.Model):
    """A technical contract and its registration (技术合同认定登记) by the bureau's office."""

    title = models.CharField(_("contract title"), max_length=160, validators=[validate_single_line])
    declared_type = models.CharField(
        _("type declared"), max_length=20, choices=ContractType.choices
    )
    seller = models.CharField(
        _("seller (applicant)"), max_length=128, validators=[validate_single_line]
    )
    seller_enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("seller in the registry"),
    )
    seller_organisation = models.ForeignKey(
        "experts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("seller institution"),
    )
    buyer = models.CharField(_("buyer"), max_length=128, validators=[validate_single_line])
    buyer_enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("buyer in the registry"),
    )
    buyer_region = models.CharField(
        _("buyer's region"), max_length=64, blank=True, validators=[validate_single_line]
    )
    town = models.ForeignKey(
        "regions.Town",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("town/street"),
    )
    industry_code = models.CharField(
        _("industry code"), max_length=4, blank=True, validators=[industry_code_validator]
    )
    signed_on = models.DateField(_("signed on"))
    total_amount = money_field(
        _("contract total (yuan)"), null=False, blank=False, validators=[MinValueValidator(0)]
    )
    written_contract = models.FileField(
        _("written contract"),
        upload_to="contracts/%Y/%m/",
        blank=True,
        validators=[
            FileExtensionValidator(allowed_extensions=list(CONTRACT_EXTENSIONS)),
            contract_file_validator,
        ],
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.APPLIED,
    )
    applied_on = models.DateField(_("applied on"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    registered_type = models.CharField(
        _("type registered"), max_length=20, choices=ContractType.choices, blank=True
    )
    non_technical_costs = money_field(
        _("non-technical costs (yuan)"), validators=[MinValueValidator(0)]
    )
    technical_amount = money_field(_("technical transaction amount (yuan)"))
    certificate_number = models.CharField(
        _("registration number"),
        max_length=32,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_single_line],
    )
    refusal_reason = models.CharField(
        _("reason not registered"), max_length=500, blank=True, validators=[validate_single_line]
    )
    brokering = models.ForeignKey(
        BrokeringRecord,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name=_("from brokering record"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords()
    objects = TechContractQuerySet.as_manager()

    class Meta:
        ordering = ["-applied_on", "-id"]
        verbose_name = _("technical contract")
        verbose_name_plural = _("technical contracts")
        constraints = [
            models.CheckConstraint(
                condition=Q(technical_amount__isnull=True)
                | Q(technical_amount__lte=models.F("total_amount")),
                name="cooperation_contract_technical_le_total",
                violation_error_message=_(
                    "The technical transaction amount cannot exceed the contract total."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cooperation:contract_detail", args=[self.pk])

    @property
    def statistical_type(self) -> str:
        return contract_rules.STATISTICAL_TYPE.get(self.registered_type or self.declared_type, "")

    @property
    def seller_role(self) -> str:
        return contract_rules.SELLER_ROLE.get(self.registered_type or self.declared_type, "")

    @property
    def limit_days(self) -> int:
        return contract_rules.decision_limit_days(
            self.total_amount,
            days=constants.decision_days(),
            large_days=constants.large_contract_days(),
            threshold=constants.large_contract_threshold(),
        )

    @property
    def deadline(self) -> dt.date | None:
        if self.accepted_on is None:
            return None
        return contract_rules.decision_deadline(
            self.accepted_on,
            self.limit_days,
            working_days=constants.decision_in_working_days(),
            is_workday=constants.workday_checker(),
        )

    def is_overdue(self, today: dt.date | None = None) -> bool:
        deadline = self.deadline
        if deadline is None:
            return False
        return contract_rules.is_overdue(deadline, today or dt.date.today(), self.decided_on)


# ------------------------------------------------------------------ Competitions


class Competition(models.Model):
    """One edition of 中国创新创业大赛 as organised locally (entrants enter one division)."""

    name = models.CharField(_("name"), max_length=128, validators=[validate_single_line])
    edition = models.PositiveSmallIntegerField(_("edition"), validators=[MinValueValidator(1)])
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    division = models.CharField(
        _("division"),
        max_length=16,
        choices=CompetitionDivision.choices,
        default=CompetitionDivision.NINGBO,
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-edition"]
        verbose_name = _("competition")
        verbose_name_plural = _("competitions")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "division"], name="cooperation_competition_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cooperation:competition_detail", args=[self.pk])


class CompetitionEntrant(models.Model):
    """An enterprise from the registry entered in a competition, with its group and track."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="entrants")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+"
    )
    project = models.CharField(_("project"), max_length=160, validators=[validate_single_line])
    group = models.CharField(_("group"), max_length=16, choices=CompetitionGroup.choices)
    track = models.CharField(_("industry track"), max_length=16, choices=CompetitionTrack.choices)
    furthest_stage = models.CharField(
        _("furthest stage"),
        max_length=24,
        choices=CompetitionStage.choices,
        default=CompetitionStage.COUNTY,
    )
    follow_on_support = models.CharField(
        _("follow-on support"), max_length=300, blank=True, validators=[validate_single_line]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["competition", "enterprise__name"]
        verbose_name = _("competition entrant")
        verbose_name_plural = _("competition entrants")
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "enterprise"], name="cooperation_entrant_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.project}"


def _score_field(label):
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )


class CompetitionResult(models.Model):
    """An entrant's result at one stage: scores on the five dimensions, advancement, award."""

    entrant = models.ForeignKey(
        CompetitionEntrant, on_delete=models.CASCADE, related_name="results"
    )
    stage = models.CharField(_("stage"), max_length=24, choices=CompetitionStage.choices)
    score_technology = _score_field(_("technology and product"))
    score_business = _score_field(_("business model and plan"))
    score_market = _score_field(_("industry and market"))
    score_team = _score_field(_("team"))
    score_finance = _score_field(_("finance"))
    advanced = models.BooleanField(_("advanced"), default=False)
    award = models.CharField(
        _("award"), max_length=64, blank=True, validators=[validate_single_line]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["entrant", "id"]
        verbose_name = _("stage result")
        verbose_name_plural = _("stage results")
        constraints = [
            models.UniqueConstraint(fields=["entrant", "stage"], name="cooperation_result_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entrant} {self.get_stage_display()}"
