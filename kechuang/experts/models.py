"""The expert pool (专家库): organisations, their members, experts and declared relationships.

One registry for the whole platform: programmes draw review panels from it, cooperation matches
experts to technology demands, platforms name partner universities and operators. Conflicts of
interest are computed from it by `services.conflicts_for` (docs/experts.md). Every model keeps
its history (django-simple-history).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kechuang.core.permissions import user_role
from kechuang.core.roles import STAFF_ROLES, Role
from kechuang.core.validators import validate_plain_text, validate_single_line
from kechuang.enterprises.models import credit_code_validator

from .choices import Availability, OrganisationKind
from .conf import relationship_kinds, relationship_label

__all__ = [
    "Field",
    "Organisation",
    "OrganisationMember",
    "Expert",
    "ExpertRelationship",
    "member_organisation_ids",
]

phone_validator = RegexValidator(
    r"^[0-9+\-() ]{5,32}$", _("Enter a telephone number (digits, +, - and spaces).")
)


def member_organisation_ids(user) -> list[int]:
    return list(
        OrganisationMember.objects.filter(user=user).values_list("organisation_id", flat=True)
    )


# ------------------------------------------------------------------ Field


class Field(models.Model):
    """A field of expertise: a GB/T 13745-2009 discipline code or an entry of the bureau's own
    field list; the list is configuration (admin site), not code."""

    code = models.CharField(
        _("code"),
        max_length=16,
        unique=True,
        validators=[RegexValidator(r"^[0-9A-Za-z.\-]+$", _("Letters, digits, dots and hyphens."))],
    )
    name = models.CharField(_("name"), max_length=64, validators=[validate_single_line])
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("field of expertise")
        verbose_name_plural = _("fields of expertise")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


# ------------------------------------------------------------------ Organisation


class OrganisationQuerySet(models.QuerySet):
    def for_user(self, user):
        """Bureau staff: all; a university/institute user: its own organisations; an expert: the
        organisation of their record; an enterprise user: the organisation of its enterprise."""
        role = user_role(user)
        if role in STAFF_ROLES:
            return self
        if role == Role.UNIVERSITY:
            return self.filter(members__user=user).distinct()
        if role == Role.EXPERT:
            return self.filter(experts__user=user).distinct()
        if role == Role.ENTERPRISE:
            profile = getattr(user, "profile", None)
            if profile is not None and profile.enterprise_id:
                return self.filter(enterprise_id=profile.enterprise_id)
        return self.none()


class Organisation(models.Model):
    """A university, research institute, enterprise, agency or government body that experts
    belong to or that takes part in projects; `enterprise` links it to the registry."""

    name = models.CharField(
        _("name"), max_length=128, unique=True, validators=[validate_single_line]
    )
    kind = models.CharField(_("kind"), max_length=16, choices=OrganisationKind.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("enterprise in the registry"),
    )
    city = models.CharField(
        _("city / region"), max_length=64, blank=True, validators=[validate_single_line]
    )
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[credit_code_validator],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("experts:organisation_detail", kwargs={"pk": self.pk})


class OrganisationMember(models.Model):
    """A university/institute user's organisation: the role's scope (its experts, achievements)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organisation_memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="members",
        verbose_name=_("organisation"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation member")
        verbose_name_plural = _("organisation members")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                name="%(app_label)s_%(class)s_unique_user_organisation",
                violation_error_message=_("This user is already a member of the organisation."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation}"


# ------------------------------------------------------------------ Expert


class ExpertQuerySet(models.QuerySet):
    def for_user(self, user):
        """Bureau staff: all; an expert: their own record; a university/institute user: the
        experts of its organisations; everyone else: none."""
        role = user_role(user)
        if role in STAFF_ROLES:
            return self
        if role == Role.EXPERT:
            return self.filter(user=user)
        if role == Role.UNIVERSITY:
            return self.filter(organisation_id__in=member_organisation_ids(user))
        return self.none()


class Expert(models.Model):
    """A person of the expert pool. Contact details are for the bureau only (never public)."""

    name = models.CharField(_("name"), max_length=64, validators=[validate_single_line])
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="experts",
        verbose_name=_("organisation"),
    )
    title = models.CharField(
        _("professional title"), max_length=64, blank=True, validators=[validate_single_line]
    )
    fields = models.ManyToManyField(
        Field, blank=True, related_name="experts", verbose_name=_("fields of expertise")
    )
    summary = models.TextField(
        _("research summary"), max_length=4000, blank=True, validators=[validate_plain_text]
    )
    phone = models.CharField(
        _("telephone"), max_length=32, blank=True, validators=[phone_validator]
    )
    email = models.EmailField(_("e-mail"), blank=True)
    availability = models.CharField(
        _("availability"),
        max_length=16,
        choices=Availability.choices,
        default=Availability.AVAILABLE,
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert",
        verbose_name=_("expert user account"),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[fields])

    objects = ExpertQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        constraints = [
            models.CheckConstraint(
                condition=Q(available_from__isnull=True)
                | Q(available_until__isnull=True)
                | Q(available_until__gte=models.F("available_from")),
                name="%(app_label)s_%(class)s_availability_dates_ordered",
                violation_error_message=_("“Available until” must not be before “available from”."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("experts:expert_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if (
            self.available_from
            and self.available_until
            and self.available_until < self.available_from
        ):
            raise ValidationError(
                {"available_until": _("“Available until” must not be before “available from”.")}
            )

    @property
    def profile_text(self) -> str:
        """The text matched against applications and demands: title, fields and summary."""
        names = " ".join(f.name for f in self.fields.all())
        return " ".join(part for part in (self.title, names, self.summary) if part)


# ------------------------------------------------------------------ Relationships


class RelationshipQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(expert__in=Expert.objects.for_user(user))

    def active_on(self, on_date):
        """Relationships that count on `on_date`: begun by then and not ended more than the
        kind's window before it (docs/experts.md#conflict-rules)."""
        condition = Q()
        for code, (_label, years) in relationship_kinds().items():
            if years:
                try:
                    cutoff = on_date.replace(year=on_date.year - int(years))
                except ValueError:  # 29 February
                    cutoff = on_date.replace(year=on_date.year - int(years), day=28)
            else:
                cutoff = on_date
            condition |= Q(kind=code) & (Q(until__isnull=True) | Q(until__gte=cutoff))
        return self.filter(condition).filter(Q(since__isnull=True) | Q(since__lte=on_date))


def validate_relationship_kind(value: str) -> None:
    if value not in relationship_kinds():
        raise ValidationError(_("Choose a relationship kind from the list."), code="invalid_choice")


class ExpertRelationship(models.Model):
    """A relationship an expert declared (or the bureau recorded) with an organisation or an
    enterprise of the registry; kinds are configuration (KECHUANG_CONFLICT_RULES)."""

    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="relationships", verbose_name=_("expert")
    )
    kind = models.CharField(
        _("relationship"), max_length=32, validators=[validate_relationship_kind]
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expert_relationships",
        verbose_name=_("counterpart organisation"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expert_relationships",
        verbose_name=_("counterpart enterprise"),
    )
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("declared by"),
    )
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)
    note = models.CharField(
        _("note"), max_length=255, blank=True, validators=[validate_single_line]
    )
    history = HistoricalRecords()

    objects = RelationshipQuerySet.as_manager()

    class Meta:
        ordering = ["expert", "-since", "pk"]
        verbose_name = _("declared relationship")
        verbose_name_plural = _("declared relationships")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(enterprise__isnull=False),
                name="%(app_label)s_%(class)s_has_counterpart",
                violation_error_message=_("Name the counterpart organisation or enterprise."),
            ),
            models.CheckConstraint(
                condition=Q(since__isnull=True)
                | Q(until__isnull=True)
                | Q(until__gte=models.F("since")),
                name="%(app_label)s_%(class)s_dates_ordered",
                violation_error_message=_("“Until” must not be before “since”."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} · {self.kind_label} · {self.counterpart}"

    @property
    def kind_label(self) -> str:
        return relationship_label(self.kind)

    @property
    def counterpart(self):
        return self.organisation or self.enterprise

    def clean(self) -> None:
        errors = {}
        if not self.organisation_id and not self.enterprise_id:
            errors["enterprise"] = _("Name the counterpart organisation or enterprise.")
        if self.since and self.until and self.until < self.since:
            errors["until"] = _("“Until” must not be before “since”.")
        if errors:
            raise ValidationError(errors)
