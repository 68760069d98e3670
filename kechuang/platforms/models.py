"""Enterprise R&D institutions (企业研发机构) and the region's innovation platforms: incubators,
maker spaces, institutes, centres, enclaves … with their lifecycle, linked enterprises,
milestones, yearly reports, evaluations and the enclaves' "three returns" (docs/platforms.md)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kechuang.core.models import ProvenanceMixin
from kechuang.core.permissions import user_role, user_scope
from kechuang.core.roles import READ_ALL_ROLES, Role
from kechuang.core.validators import validate_single_line
from kechuang.enterprises.models import EnterpriseOwnedQuerySet

__all__ = [
    "InstitutionLevel",
    "InstitutionStatus",
    "RDInstitution",
    "PlatformType",
    "PlatformLevel",
    "PlatformStage",
    "EventKind",
    "LinkRole",
    "MilestoneStatus",
    "Platform",
    "PlatformEvent",
    "PlatformLink",
    "Milestone",
    "PlatformOperator",
    "PlatformRuleConfig",
    "ReportingRound",
    "PlatformReport",
    "ReportStatus",
    "EvaluationScheme",
    "Evaluation",
    "ThreeReturns",
    "SubsidyParameters",
]


class InstitutionLevel(models.TextChoices):
    """Levels of enterprise R&D institutions, lowest first (docs/qualification-rules.md#rd-institutions)."""

    MUNICIPAL_RD_CENTRE = "municipal_enterprise_rd_centre", _("Municipal enterprise R&D centre")
    NINGBO_KEY_INSTITUTE = (
        "ningbo_key_enterprise_research_institute",
        _("Ningbo key enterprise research institute"),
    )
    PROVINCIAL_HIGH_TECH_RD_CENTRE = (
        "provincial_high_tech_rd_centre",
        _("Provincial high-tech enterprise R&D centre"),
    )
    PROVINCIAL_INSTITUTE = (
        "provincial_enterprise_research_institute",
        _("Provincial enterprise research institute"),
    )
    PROVINCIAL_KEY_INSTITUTE = (
        "provincial_key_enterprise_research_institute",
        _("Provincial key enterprise research institute"),
    )


class InstitutionStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    UPGRADED = "upgraded", _("Upgraded")
    REVOKED = "revoked", _("Revoked")


class RDInstitution(ProvenanceMixin, models.Model):
    """An R&D institution of an enterprise at one level, recognised in a year.

    An upgrade creates a new row at the higher level and marks the old one `upgraded`; the
    cumulative count counts enterprises' institutions that are not revoked.
    """

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="rd_institutions"
    )
    level = models.CharField(
        _("level"), max_length=48, choices=InstitutionLevel.choices, db_index=True
    )
    name = models.CharField(_("name"), max_length=128, validators=[validate_single_line])
    year_recognised = models.PositiveSmallIntegerField(_("year recognised"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InstitutionStatus.choices,
        default=InstitutionStatus.ACTIVE,
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = EnterpriseOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise_id", "-year_recognised"]
        verbose_name = _("R&D institution")
        verbose_name_plural = _("R&D institutions")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "level"],
                name="%(app_label)s_%(class)s_unique_enterprise_level",
                violation_error_message=_(
                    "This enterprise already has an institution at this level."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


# ------------------------------------------------------------------ innovation platforms


class PlatformType(models.TextChoices):
    """Types of innovation carrier (docs/platforms.md#platform-types)."""

    SERVICE_COMPLEX = "service_complex", _("Industry innovation service complex")
    CONSORTIUM = "consortium", _("Enterprise innovation consortium")
    INDUSTRIAL_TECH_CENTRE = "industrial_tech_centre", _("Industrial technology innovation centre")
    TECH_INNOVATION_CENTRE = "tech_innovation_centre", _("Technology innovation centre")
    RESEARCH_INSTITUTE = "research_institute", _("University-linked research institute")
    TECH_TRANSFER_CENTRE = "tech_transfer_centre", _("Technology transfer centre")
    CONCEPT_VERIFICATION = "concept_verification", _("Concept-verification centre")
    INCUBATOR = "incubator", _("Technology business incubator")
    MAKER_SPACE = "maker_space", _("Maker space")
    GRADUATE_BASE = "graduate_base", _("Joint graduate training base")
    SCIENCE_PARK = "science_park", _("University science park")
    ENCLAVE = "enclave", _("Off-site innovation enclave")


class PlatformLevel(models.TextChoices):
    """Recognition levels, lowest first."""

    NONE = "none", _("Not recognised")
    COUNTY = "county", _("County level")
    NINGBO = "ningbo", _("Ningbo level")
    PROVINCIAL = "provincial", _("Provincial level")
    NATIONAL = "national", _("National level")


LEVEL_ORDER = [level.value for level in PlatformLevel]


class PlatformStage(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONSTRUCTION = "construction", _("Under construction")
    OPERATING = "operating", _("Unveiled / operating")
    RECOGNISED = "recognised", _("Recognised")
    REVOKED = "revoked", _("Revoked")


class EventKind(models.TextChoices):
    """Dated lifecycle steps of a platform."""

    PLANNED = "planned", _("Preparation approved")
    CONSTRUCTION = "construction", _("Construction started")
    TENDERED = "tendered", _("Public tender completed")
    UNVEILED = "unveiled", _("Unveiled")
    LISTED = "listed", _("Placed on a creation list")
    RECOGNISED = "recognised", _("Recognised / filed at a level")
    UPGRADED = "upgraded", _("Upgraded")
    DOWNGRADED = "downgraded", _("Downgraded")
    REVOKED = "revoked", _("Revoked")


# The stage each event puts the platform in.
EVENT_STAGE: dict[str, str] = {
    EventKind.PLANNED: PlatformStage.PLANNED,
    EventKind.CONSTRUCTION: PlatformStage.CONSTRUCTION,
    EventKind.TENDERED: PlatformStage.CONSTRUCTION,
    EventKind.UNVEILED: PlatformStage.OPERATING,
    EventKind.LISTED: PlatformStage.CONSTRUCTION,
    EventKind.RECOGNISED: PlatformStage.RECOGNISED,
    EventKind.UPGRADED: PlatformStage.RECOGNISED,
    EventKind.DOWNGRADED: PlatformStage.RECOGNISED,
    EventKind.REVOKED: PlatformStage.REVOKED,
}
LEVEL_EVENTS = (EventKind.RECOGNISED, EventKind.UPGRADED, EventKind.DOWNGRADED)


class LinkRole(models.TextChoices):
    INCUBATEE = "incubatee", _("Incubatee")
    MEMBER = "member", _("Consortium member")
    RESIDENT = "resident", _("Enclave resident")
    HOST = "host", _("Host enterprise")


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    ACCEPTED = "accepted", _("Accepted")


def evidence_path(instance, filename: str) -> str:
    return f"platforms/{type(instance).__name__.lower()}/{filename}"


class PlatformQuerySet(models.QuerySet):
    """Platforms a user sees: bureau staff and leaders all; a town officer the platforms of the
    town; a platform operator its own platform; nobody else any."""

    def for_user(self, user):
        role = user_role(user)
        if role in READ_ALL_ROLES:
            return self
        if role == Role.PLATFORM_OPERATOR:
            return self.filter(operators__user=user)
        scope = user_scope(user)
        if scope.all:
            return self
        if scope.town_ids:
            return self.filter(town_id__in=scope.town_ids)
        return self.none()


class Platform(models.Model):
    """One innovation carrier of the region: type, current level and stage (kept in step with
    its events), operator, partners, town, host city for enclaves, and the facts its operator
    reports (offline fact names, docs/platforms.md#facts)."""

    name = models.CharField(
        _("name"), max_length=128, unique=True, validators=[validate_single_line]
    )
    kind = models.CharField(_("type"), max_length=32, choices=PlatformType.choices, db_index=True)
    level = models.CharField(
        _("level"), max_length=16, choices=PlatformLevel.choices, default=PlatformLevel.NONE
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=PlatformStage.choices, default=PlatformStage.PLANNED
    )
    town = models.ForeignKey(
        "regions.Town",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="platforms",
        verbose_name=_("town/street"),
    )
    operator_enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="operated_platforms",
        verbose_name=_("operating enterprise"),
    )
    operator_organisation = models.ForeignKey(
        "experts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="operated_platforms",
        verbose_name=_("operating university or body"),
    )
    partners = models.ManyToManyField(
        "experts.Organisation",
        blank=True,
        related_name="partner_platforms",
        verbose_name=_("partner universities"),
    )
    host_city = models.CharField(
        _("host city"), max_length=32, blank=True, validators=[validate_single_line]
    )
    address = models.CharField(
        _("address"), max_length=200, blank=True, validators=[validate_single_line]
    )
    industry = models.CharField(
        _("industry focus"), max_length=64, blank=True, validators=[validate_single_line]
    )
    professional = models.BooleanField(_("professional incubator"), default=False)
    remote_area = models.BooleanField(_("remote-area relaxation applies"), default=False)
    facts = models.JSONField(_("reported facts"), default=dict, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlatformQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("platform_pages:platform_detail", kwargs={"pk": self.pk})


class PlatformOwnedQuerySet(models.QuerySet):
    """Rows of a platform: seen by whoever sees the platform."""

    def for_user(self, user):
        return self.filter(platform__in=Platform.objects.for_user(user))


class PlatformEvent(models.Model):
    """A dated lifecycle step with the authority, document number and evidence behind it."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("step"), max_length=16, choices=EventKind.choices)
    date = models.DateField(_("date"))
    level = models.CharField(
        _("level"),
        max_length=16,
        choices=PlatformLevel.choices,
        blank=True,
        help_text=_("For recognition, upgrade and downgrade"),
    )
    authority = models.CharField(
        _("authority"), max_length=64, blank=True, validators=[validate_single_line]
    )
    document_number = models.CharField(
        _("document number"), max_length=64, blank=True, validators=[validate_single_line]
    )
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True)
    note = models.CharField(
        _("note"), max_length=200, blank=True, validators=[validate_single_line]
    )
    history = HistoricalRecords()
    objects = PlatformOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["platform_id", "date", "id"]
        verbose_name = _("lifecycle step")
        verbose_name_plural = _("lifecycle steps")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=[k.value for k in LEVEL_EVENTS]) | ~Q(level=""),
                name="%(app_label)s_%(class)s_level_for_recognition",
                violation_error_message=_("A recognition, upgrade or downgrade needs its level."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.get_kind_display()} {self.date}"


class PlatformLink(models.Model):
    """An enterprise attached to a platform in a role (incubatee with entry/exit dates, member,
    resident, host) and the incubation facts the registry does not hold elsewhere."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="links")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="platform_links"
    )
    role = models.CharField(_("role"), max_length=16, choices=LinkRole.choices)
    entry_date = models.DateField(_("entry date"), null=True, blank=True)
    exit_date = models.DateField(_("exit date"), null=True, blank=True)
    on_site = models.BooleanField(_("registered and working on site"), default=True)
    same_industry = models.BooleanField(_("in the incubator's industry"), default=False)
    financed = models.BooleanField(_("obtained investment or financing"), default=False)
    angel_vc_wan = models.DecimalField(
        _("cumulative angel/VC investment (10,000 yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    merged_acquired_or_listed = models.BooleanField(_("merged, acquired or listed"), default=False)
    history = HistoricalRecords()
    objects = PlatformOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["platform_id", "role", "entry_date", "id"]
        verbose_name = _("linked enterprise")
        verbose_name_plural = _("linked enterprises")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "enterprise", "role"],
                name="%(app_label)s_%(class)s_unique_role",
                violation_error_message=_("This enterprise already has this role at the platform."),
            ),
            models.CheckConstraint(
                condition=Q(exit_date__isnull=True)
                | Q(entry_date__isnull=True)
                | Q(exit_date__gte=models.F("entry_date")),
                name="%(app_label)s_%(class)s_exit_after_entry",
                violation_error_message=_("The exit date cannot be before the entry date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform} – {self.enterprise}"


class Milestone(models.Model):
    """A reform or construction task of a platform: owner, due date, status, evidence."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("task"), max_length=128, validators=[validate_single_line])
    owner = models.CharField(_("owner"), max_length=64, validators=[validate_single_line])
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=16, choices=MilestoneStatus.choices, default=MilestoneStatus.PLANNED
    )
    done_date = models.DateField(_("date done"), null=True, blank=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True)
    note = models.CharField(
        _("note"), max_length=200, blank=True, validators=[validate_single_line]
    )
    history = HistoricalRecords()
    objects = PlatformOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class PlatformOperator(models.Model):
    """A user who reports for one platform (role scope: platform operator)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="platform_operator"
    )
    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="operators")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("platform operator")
        verbose_name_plural = _("platform operators")

    def __str__(self) -> str:
        return f"{self.user} – {self.platform}"


class PlatformRuleConfig(models.Model):
    """The bureau's version of a recognition rule set: thresholds filled in for an unconfirmed
    regime, or a new official version (docs/platforms.md#rule-sets)."""

    regime = models.CharField(_("regime"), max_length=32)
    version = models.CharField(_("version"), max_length=32, validators=[validate_single_line])
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=[
            ("CONFIRMED", _("Confirmed")),
            ("SECONDARY", _("Secondary source")),
            ("UNCONFIRMED", _("Pending policy verification")),
        ],
        default="UNCONFIRMED",
    )
    effective_from = models.DateField(_("effective from"))
    thresholds = models.JSONField(_("thresholds"), default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["regime", "-effective_from"]
        verbose_name = _("platform rule set")
        verbose_name_plural = _("platform rule sets")
        constraints = [
            models.UniqueConstraint(
                fields=["regime", "version"],
                name="%(app_label)s_%(class)s_unique_version",
                violation_error_message=_("This regime already has this version."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.regime} {self.version}"


class ReportingRound(models.Model):
    """The bureau's yearly reporting round: operators fill their report by the deadline."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    deadline = models.DateField(_("deadline"))
    is_open = models.BooleanField(_("open"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")

    def __str__(self) -> str:
        return str(self.year)


class PlatformReport(models.Model):
    """A platform's yearly report in a round: values by KPI code, evidence and the signed
    truthfulness pledge, and the bureau's review."""

    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="reports")
    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="reports")
    values = models.JSONField(_("values"), default=dict, blank=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True)
    pledge = models.FileField(_("signed truthfulness pledge"), upload_to=evidence_path, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    review_comment = models.CharField(
        _("review comment"), max_length=500, blank=True, validators=[validate_single_line]
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    history = HistoricalRecords()
    objects = PlatformOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["round", "platform__name"]
        verbose_name = _("yearly report")
        verbose_name_plural = _("yearly reports")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "platform"],
                name="%(app_label)s_%(class)s_unique_round",
                violation_error_message=_("This platform already has a report in this round."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.round}"


class EvaluationScheme(models.Model):
    """An evaluation scheme (docs/platforms.md#evaluation): indicators with dimension, weight and
    scoring rule, the weights of the quantitative, expert and management scores, grade bands."""

    name = models.CharField(
        _("name"), max_length=64, unique=True, validators=[validate_single_line]
    )
    kind = models.CharField(_("platform type"), max_length=32, choices=PlatformType.choices)
    config = models.JSONField(_("configuration"), default=dict)
    pending_verification = models.BooleanField(_("pending policy verification"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("evaluation scheme")
        verbose_name_plural = _("evaluation schemes")

    def __str__(self) -> str:
        return self.name


class Evaluation(models.Model):
    """One platform's performance evaluation for a year: the three scores, total, grade,
    consequence and the public notice it was published in."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="evaluations")
    scheme = models.ForeignKey(
        EvaluationScheme, on_delete=models.PROTECT, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quantitative_score = models.DecimalField(
        _("quantitative score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    expert_score = models.DecimalField(
        _("expert score"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    management_score = models.DecimalField(
        _("local management score"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    total = models.DecimalField(
        _("total score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    grade = models.CharField(_("grade"), max_length=1, blank=True)
    consequence = models.CharField(_("consequence"), max_length=32, blank=True)
    detail = models.JSONField(_("indicator scores"), default=list, blank=True)
    notice = models.ForeignKey(
        "notices.Notice", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()
    objects = PlatformOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "platform__name"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "year"],
                name="%(app_label)s_%(class)s_unique_year",
                violation_error_message=_("This platform already has an evaluation for this year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.year}"


class ThreeReturns(models.Model):
    """One enclave resident's "three returns" for a year: R&D spent in the enclave counted at
    home, results registered at home, capacity industrialised at home; staff for 补人头."""

    enclave = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="three_returns")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="three_returns"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    rd_expense_yuan = models.DecimalField(
        _("R&D expense in the enclave counted at home (yuan)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    rd_staff = models.PositiveIntegerField(_("R&D staff in the enclave"), null=True, blank=True)
    results_registered = models.PositiveIntegerField(
        _("results registered at home"), null=True, blank=True
    )
    results_total = models.PositiveIntegerField(
        _("results created in the enclave"), null=True, blank=True
    )
    capacity_yuan = models.DecimalField(
        _("output industrialised at home (yuan)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "enclave_id", "enterprise_id"]
        verbose_name = _("three-returns record")
        verbose_name_plural = _("three-returns records")
        constraints = [
            models.UniqueConstraint(
                fields=["enclave", "enterprise", "year"],
                name="%(app_label)s_%(class)s_unique_year",
                violation_error_message=_("This resident already has a record for this year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.enclave} {self.enterprise} {self.year}"


class SubsidyParameters(models.Model):
    """Per-head (补人头) subsidy parameters from a year on; values the bureau configures."""

    year_from = models.PositiveSmallIntegerField(_("from year"), unique=True)
    per_head_yuan = models.DecimalField(
        _("per R&D person per year (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    cap_yuan = models.DecimalField(
        _("cap per enterprise (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    min_results_share = models.DecimalField(
        _("minimum share of results registered at home"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
    )
    pending_verification = models.BooleanField(_("pending policy verification"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year_from"]
        verbose_name = _("per-head subsidy parameters")
        verbose_name_plural = _("per-head subsidy parameters")

    def __str__(self) -> str:
        return str(self.year_from)
