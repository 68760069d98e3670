"""Enterprise registry: enterprises, their yearly figures, IP and held qualifications."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kechuang.core.models import UNINDEXED_HISTORY_PROVENANCE, ProvenanceMixin, ScopedQuerySet
from kechuang.core.validators import (
    validate_plain_text,
    validate_plausible_date,
    validate_plausible_expiry,
    validate_single_line,
)
from kechuang.core.years import validate_year

from .choices import (
    IPClass,
    IPKind,
    IPStatus,
    QualificationKind,
    QualificationStatus,
    ReviewStage,
    SubmissionStatus,
)
from .logic.credit_code import CreditCodeError, validate_credit_code
from .logic.industry import DIVISIONS, IndustryCodeError, validate_industry_code

__all__ = [
    "Enterprise",
    "HighTechRdCategories",
    "DeclaredFigures",
    "AnnualFigure",
    "FigureSubmission",
    "IntellectualProperty",
    "Qualification",
    "money_field",
    "ContactRole",
    "EnterpriseContact",
    "EnterpriseTag",
    "EnterpriseTagAssignment",
]


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    """A money amount in yuan (Decimal, 2 dp); pages and templates may show it in 万元."""
    kwargs.setdefault("null", True)
    kwargs.setdefault("blank", True)
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=2, **kwargs)


def credit_code_validator(value: str) -> None:
    """Model-field validator wrapping the GB 32100-2015 check with a readable message."""
    try:
        validate_credit_code(value)
    except CreditCodeError as exc:
        raise ValidationError(credit_code_message(exc), code=f"credit_code_{exc.code}") from exc


def credit_code_message(exc: CreditCodeError) -> str:
    """The user-facing message for a credit-code error (translated)."""
    messages = {
        "length": _("A unified social credit code has 18 characters."),
        "charset": _("The code may contain only digits and the letters A-Y except I, O, S, V, Z."),
        "division": _("Characters 3-8 must be the digits of an administrative division code."),
    }
    if exc.code == "check":
        return str(_("Wrong check character: for this code it should be “%(expected)s”.")) % {
            "expected": exc.expected
        }
    return str(messages[exc.code])


def industry_code_validator(value: str) -> None:
    try:
        validate_industry_code(value)
    except IndustryCodeError as exc:
        if exc.code == "format":
            msg = _("An industry code (GB/T 4754-2017) has 4 digits.")
        else:
            msg = _("No industry division %(division)s in GB/T 4754-2017.") % {
                "division": value[:2]
            }
        raise ValidationError(msg, code=f"industry_{exc.code}") from exc


# ------------------------------------------------------------------ Enterprise


class EnterpriseQuerySet(ScopedQuerySet):
    enterprise_path = ""


class Enterprise(models.Model):
    """An enterprise of the home region, keyed by its unified social credit code (GB 32100-2015)."""

    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[credit_code_validator],
    )
    name = models.CharField(
        _("name"), max_length=128, db_index=True, validators=[validate_single_line]
    )
    town = models.ForeignKey(
        "regions.Town",
        on_delete=models.PROTECT,
        related_name="enterprises",
        verbose_name=_("town/street"),
    )
    industry_code = models.CharField(
        _("industry code"),
        max_length=4,
        validators=[industry_code_validator],
        help_text=_("GB/T 4754-2017 class code, 4 digits"),
        db_index=True,
    )
    registration_date = models.DateField(
        _("registration date"), null=True, blank=True, validators=[validate_plausible_date]
    )
    address = models.CharField(
        _("address"), max_length=255, blank=True, validators=[validate_single_line]
    )
    tags = models.CharField(
        _("tags"),
        max_length=255,
        blank=True,
        help_text=_("Separated by commas"),
        validators=[validate_single_line],
    )
    is_resident_enterprise = models.BooleanField(_("resident enterprise"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        # Prefix searches by name and credit code (docs/enterprise-file.md#global-search).
        indexes = [
            models.Index(
                fields=["name"], name="enterprises_name_like", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(
                fields=["credit_code"],
                name="enterprises_credit_code_like",
                opclasses=["varchar_pattern_ops"],
            ),
            # The newest change an assessment depends on (docs/performance.md#list-pages).
            models.Index(fields=["updated_at"], name="enterprises_ent_updated"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:enterprise_detail", args=[self.pk])

    @property
    def industry_division(self) -> str:
        return self.industry_code[:2]

    @property
    def industry_division_name(self) -> str:
        return DIVISIONS.get(self.industry_division, "")

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.replace("，", ",").split(",") if t.strip()]


# ------------------------------------------------------------------ high-tech R&D categories


class HighTechRdCategories(models.Model):
    """The 8 R&D expense categories of the high-tech scope (国科发火〔2016〕195号 §三(六);
    docs/rnd.md#high-tech-scope), in yuan. Shared by the yearly figures and the agencies'
    collected-expense submissions so both describe the categories the same way."""

    rd_hnte_personnel = money_field(_("high-tech scope: personnel (yuan)"))
    rd_hnte_direct = money_field(_("high-tech scope: direct inputs (yuan)"))
    rd_hnte_depreciation = money_field(
        _("high-tech scope: depreciation and long-term deferred (yuan)")
    )
    rd_hnte_intangible = money_field(_("high-tech scope: intangible amortisation (yuan)"))
    rd_hnte_design = money_field(_("high-tech scope: design (yuan)"))
    rd_hnte_equipment_trial = money_field(
        _("high-tech scope: equipment debugging and trials (yuan)")
    )
    rd_hnte_commissioned = money_field(_("high-tech scope: commissioned external R&D (yuan)"))
    rd_hnte_other = money_field(_("high-tech scope: other (yuan)"))

    class Meta:
        abstract = True


# ------------------------------------------------------------------ declared figures


class DeclaredFigures(HighTechRdCategories):
    """The yearly figures an enterprise declares itself (money in yuan), shared by the registry's
    yearly figures and the enterprise's reviewed submissions, so both describe them the same way.
    """

    operating_revenue = money_field(_("operating revenue (yuan)"))
    sales_revenue = money_field(
        _("sales revenue (yuan)"), help_text=_("Main business + other business revenue")
    )
    main_business_revenue = money_field(_("main business revenue (yuan)"))
    total_income = money_field(_("total income (yuan)"), help_text=_("Income-tax law basis"))
    non_taxable_income = money_field(_("non-taxable income (yuan)"))
    total_assets = money_field(_("total assets (yuan)"))
    total_liabilities = money_field(_("total liabilities (yuan)"))
    total_cost_expense = money_field(_("total costs and expenses (yuan)"))
    hightech_income = money_field(_("high-tech product (service) income (yuan)"))

    employees_avg = models.DecimalField(
        _("employees, annual average"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    employees_year_end = models.PositiveIntegerField(
        _("employees, year end"), null=True, blank=True
    )
    tech_staff_avg = models.DecimalField(
        _("S&T staff, annual average"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    tech_staff_year_end = models.PositiveIntegerField(
        _("S&T staff, year end"), null=True, blank=True
    )

    rd_expense_stat = money_field(_("R&D expense, statistical scope (yuan)"))
    rd_hnte_total = money_field(_("R&D expense, high-tech scope, total (yuan)"))
    rd_hnte_domestic = money_field(_("R&D expense, high-tech scope, in China (yuan)"))
    rd_deduction_scope = money_field(_("R&D expense, super-deduction scope (yuan)"))

    # Declarations for the year that the qualification rules need (C3-C4 of
    # docs/qualification-rules.md#entry-conditions, H3 and H8 of docs/qualification-rules.md#basic-conditions). Null = not declared, which the rules treat as unknown, never "no".
    incident_reported = models.BooleanField(
        _("major safety/quality accident, serious environmental violation or research misconduct"),
        null=True,
        blank=True,
    )
    in_restricted_catalogue = models.BooleanField(
        _("products in a prohibited, restricted or eliminated catalogue"), null=True, blank=True
    )
    core_tech_in_supported_fields = models.BooleanField(
        _("core technology within the state-supported high-tech fields"), null=True, blank=True
    )

    class Meta:
        abstract = True


# ------------------------------------------------------------------ AnnualFigure


class EnterpriseOwnedQuerySet(ScopedQuerySet):
    """Rows that belong to one enterprise; scoped through their enterprise."""

    enterprise_path = "enterprise__"


class AnnualFigure(ProvenanceMixin, DeclaredFigures, models.Model):
    """One enterprise's figures for one fiscal year (calendar year), money in yuan.

    The three R&D figures (statistical, high-tech and tax-deduction scopes) are separate fields and are never mixed:
    the statistical R&D expense (统计口径, what regional R&D totals sum), the high-tech scope
    (高企口径: total, domestic, and its 8 categories) and the super-deduction scope (加计扣除口径).
    """

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="annual_figures"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_year])
    # Official classifications: the statistics bureau's and the credit-information system's.
    is_above_scale_industrial = models.BooleanField(_("above-scale industrial"), default=False)
    credit_listed = models.BooleanField(
        _("on the abnormal-operation or serious-dishonesty list"), null=True, blank=True
    )

    history = HistoricalRecords(
        excluded_fields=["updated_at"], no_db_index=UNINDEXED_HISTORY_PROVENANCE
    )
    objects = EnterpriseOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise_id", "year"]
        verbose_name = _("yearly figures")
        verbose_name_plural = _("yearly figures")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                name="%(app_label)s_%(class)s_unique_enterprise_year",
                violation_error_message=_("This enterprise already has figures for this year."),
            ),
            models.CheckConstraint(
                condition=Q(tech_staff_year_end__isnull=True)
                | Q(employees_year_end__isnull=True)
                | Q(tech_staff_year_end__lte=models.F("employees_year_end")),
                name="%(app_label)s_%(class)s_tech_staff_lte_staff",
                violation_error_message=_("S&T staff cannot exceed staff."),
            ),
        ]
        indexes = [
            # The enterprise list sorts one year's above-scale rows by R&D expense; the index
            # also answers every lookup by year and above-scale alone (its first two columns).
            models.Index(
                fields=["year", "is_above_scale_industrial", "rd_expense_stat"],
                name="enterprises_af_year_above_rd",
            ),
            # The newest change an assessment depends on (docs/performance.md#list-pages).
            models.Index(fields=["updated_at"], name="enterprises_af_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"

    @property
    def rd_intensity(self):
        """Statistical R&D expense ÷ operating revenue, or None when revenue is absent or zero."""
        if not self.operating_revenue or self.rd_expense_stat is None:
            return None
        return self.rd_expense_stat / self.operating_revenue

    @property
    def rd_intensity_pct(self):
        """R&D intensity as a number of percent (for display)."""
        intensity = self.rd_intensity
        return None if intensity is None else intensity * 100


# ------------------------------------------------------------------ IntellectualProperty


class IntellectualProperty(ProvenanceMixin, models.Model):
    """An IP item owned by an enterprise; its class follows 国科发火〔2016〕195号 §三(二)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="ip_assets")
    kind = models.CharField(_("kind"), max_length=32, choices=IPKind.choices)
    number = models.CharField(
        _("number"), max_length=64, unique=True, validators=[validate_single_line]
    )
    title = models.CharField(_("title"), max_length=255, validators=[validate_single_line])
    application_date = models.DateField(
        _("application date"), null=True, blank=True, validators=[validate_plausible_date]
    )
    grant_date = models.DateField(
        _("grant date"), null=True, blank=True, validators=[validate_plausible_date]
    )
    expiry_date = models.DateField(
        _("expiry date"), null=True, blank=True, validators=[validate_plausible_expiry]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=IPStatus.choices, default=IPStatus.GRANTED
    )
    used_in_hnte_application_year = models.PositiveSmallIntegerField(
        _("used in a high-tech application (year)"),
        null=True,
        blank=True,
        help_text=_("Class II IP may be used only once for a high-tech application"),
        validators=[validate_year],
    )
    history = HistoricalRecords(
        excluded_fields=["updated_at"], no_db_index=UNINDEXED_HISTORY_PROVENANCE
    )
    objects = EnterpriseOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise_id", "-grant_date", "number"]
        verbose_name = _("intellectual property")
        verbose_name_plural = _("intellectual property")
        indexes = [
            # The newest change an assessment depends on (docs/performance.md#list-pages).
            models.Index(fields=["updated_at"], name="enterprises_ip_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def ip_class(self) -> str:
        from .choices import IP_CLASS_BY_KIND

        return IP_CLASS_BY_KIND.get(self.kind, IPClass.NONE)


# ------------------------------------------------------------------ Qualification


class QualificationQuerySet(EnterpriseOwnedQuerySet):
    def valid_on(self, date: dt.date):
        """Qualifications in force on `date`: issued on or before it, not expired, not revoked."""
        return self.filter(
            Q(issue_date__lte=date),
            Q(expiry_date__isnull=True) | Q(expiry_date__gte=date),
            Q(revoked_date__isnull=True) | Q(revoked_date__gt=date),
        )


class Qualification(ProvenanceMixin, models.Model):
    """A qualification an enterprise holds: a rung of the ladder, with its validity.

    `expiry_date` is the last day of validity (inclusive). For a high-tech enterprise it is the
    day before the third anniversary of the issue date (valid_on(t) := issue <= t < issue + 3y,
    docs/qualification-rules.md#certificate-validity). Tech-SME registrations are per evaluation `year`
    (docs/qualification-rules.md#registration-per-year).
    """

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="qualifications"
    )
    kind = models.CharField(
        _("kind"), max_length=32, choices=QualificationKind.choices, db_index=True
    )
    year = models.PositiveSmallIntegerField(
        _("year"), help_text=_("Recognition or registration year"), validators=[validate_year]
    )
    number = models.CharField(
        _("certificate / registration number"),
        max_length=64,
        blank=True,
        validators=[validate_single_line],
    )
    batch = models.CharField(
        _("batch"),
        max_length=32,
        blank=True,
        help_text=_("e.g. 2024-1 for the year's first batch"),
        validators=[validate_single_line],
    )
    issue_date = models.DateField(_("issue date"), validators=[validate_plausible_date])
    expiry_date = models.DateField(
        _("valid until"), null=True, blank=True, validators=[validate_plausible_expiry]
    )
    revoked_date = models.DateField(
        _("revoked on"), null=True, blank=True, validators=[validate_plausible_date]
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=QualificationStatus.choices,
        default=QualificationStatus.ACTIVE,
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = QualificationQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise_id", "kind", "-issue_date"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "kind", "year"],
                name="%(app_label)s_%(class)s_unique_enterprise_kind_year",
                violation_error_message=_(
                    "This enterprise already holds this qualification for this year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(expiry_date__isnull=True) | Q(expiry_date__gte=models.F("issue_date")),
                name="%(app_label)s_%(class)s_expiry_after_issue",
                violation_error_message=_("The expiry date cannot be before the issue date."),
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "issue_date", "expiry_date"]),
            # The newest change an assessment depends on (docs/performance.md#list-pages).
            models.Index(fields=["updated_at"], name="enterprises_q_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number or self.year}"

    def is_valid_on(self, date: dt.date) -> bool:
        return (
            self.issue_date <= date
            and (self.expiry_date is None or date <= self.expiry_date)
            and (self.revoked_date is None or date < self.revoked_date)
        )


# ------------------------------------------------------------------ FigureSubmission


class FigureSubmission(DeclaredFigures, models.Model):
    """An enterprise's proposed yearly figures, reviewed twice before they reach the registry
    (docs/portal.md#workflow): draft → submitted → the town officer passes it (town_passed) or
    returns it → the bureau accepts it (the values are then written to the enterprise's
    AnnualFigure of that year) or returns it. A returned submission goes back to the
    enterprise with the reason and the stage that returned it.

    One open (not yet accepted) submission per enterprise and year; after acceptance a
    correction starts a new one. Every step is in the history with who and why.
    """

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.CASCADE,
        related_name="figure_submissions",
        verbose_name=_("enterprise"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_year])
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
        db_index=True,
    )
    reason = models.TextField(
        _("reason for returning"),
        max_length=2000,
        blank=True,
        validators=[validate_plain_text],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    returned_stage = models.CharField(
        _("returned at"), max_length=8, choices=ReviewStage.choices, blank=True
    )
    town_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("town reviewer"),
    )
    town_reviewed_at = models.DateTimeField(_("town reviewed at"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    official_confirmed = models.BooleanField(
        _("differences from official figures confirmed"),
        default=False,
        help_text=_(
            "The bureau reviewer confirmed accepting values that differ from official ones"
        ),
    )
    figure = models.ForeignKey(
        AnnualFigure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name=_("yearly figures written"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    history = HistoricalRecords(
        excluded_fields=["updated_at"], no_db_index=UNINDEXED_HISTORY_PROVENANCE
    )
    objects = EnterpriseOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("figure submission")
        verbose_name_plural = _("figure submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                condition=~Q(status="accepted"),
                name="%(app_label)s_%(class)s_one_open_per_year",
                violation_error_message=_(
                    "This enterprise already has an open submission for this year."
                ),
            ),
        ]
        indexes = [models.Index(fields=["status", "year"])]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        """The enterprise may still change it (draft, or returned to it)."""
        return self.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


# The enterprise file's contacts and tags (docs/enterprise-file.md), registered with this app.
from .file_models import (  # noqa: E402
    ContactRole,
    EnterpriseContact,
    EnterpriseTag,
    EnterpriseTagAssignment,
)

# The portal's own records (attachments, memberships, invitations) live in portal_models.py.
from .portal_models import *  # noqa: E402, F401, F403
