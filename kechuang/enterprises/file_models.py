"""The enterprise file's own records (docs/enterprise-file.md): the contact persons kept on an
enterprise, and the tags bureau staff put on enterprises.

Imported at the end of models.py so Django registers them with the enterprises app.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kechuang.core.models import ScopedQuerySet
from kechuang.core.validators import validate_plain_text, validate_single_line

__all__ = [
    "ContactRole",
    "EnterpriseContact",
    "EnterpriseTag",
    "EnterpriseTagAssignment",
    "phone_validator",
]

# Mainland mobile numbers (11 digits from 13–19, 电信网编号计划（2017年版）of the MIIT) or a
# fixed line with its area code (0 + 2–3 digits, 7–8 digits, optional extension).
PHONE_PATTERN = r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$"
phone_validator = RegexValidator(
    PHONE_PATTERN,
    _(
        "Enter an 11-digit mobile number (e.g. 13812345678) or a fixed line with its area "
        "code (e.g. 0574-65123456)."
    ),
    code="phone",
)


class ContactRole(models.TextChoices):
    LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")
    FINANCE = "finance", _("Head of finance")
    SCIENCE_LIAISON = "science_liaison", _("S&T liaison")
    STATISTICS = "statistics", _("Statistics contact")
    OTHER = "other", _("Other")


class ContactQuerySet(ScopedQuerySet):
    enterprise_path = "enterprise__"


class EnterpriseContact(models.Model):
    """A contact person of an enterprise (法定代表人, 财务负责人, 科技联络人 …), kept by bureau
    staff and by the enterprise's own users; every change is in the enterprise's history."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("enterprise"),
    )
    name = models.CharField(
        _("name"), max_length=64, db_index=True, validators=[validate_single_line]
    )
    role = models.CharField(
        _("role"), max_length=24, choices=ContactRole.choices, default=ContactRole.OTHER
    )
    position = models.CharField(
        _("position"), max_length=64, blank=True, validators=[validate_single_line]
    )
    phone = models.CharField(
        _("telephone"), max_length=24, blank=True, validators=[phone_validator]
    )
    email = models.EmailField(_("e-mail"), max_length=128, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise", "role", "name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "name", "role"],
                name="%(app_label)s_%(class)s_unique_person_role",
                violation_error_message=_("This person is already listed with this role."),
            ),
        ]
        # Prefix searches by a person's name (docs/enterprise-file.md#global-search).
        indexes = [
            models.Index(
                fields=["name"],
                name="enterprises_contact_name_like",
                opclasses=["varchar_pattern_ops"],
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"


class EnterpriseTag(models.Model):
    """A tag bureau staff put on enterprises (e.g. 重点培育, 专精特新后备); staff-only."""

    name = models.CharField(_("tag"), max_length=32, unique=True, validators=[validate_single_line])
    description = models.CharField(
        _("description"), max_length=255, blank=True, validators=[validate_plain_text]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise tag")
        verbose_name_plural = _("enterprise tags")

    def __str__(self) -> str:
        return self.name


class TagAssignmentQuerySet(ScopedQuerySet):
    enterprise_path = "enterprise__"


class EnterpriseTagAssignment(models.Model):
    """A tag on one enterprise, with who set it and when (removal is kept in the history)."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="tag_assignments",
        verbose_name=_("enterprise"),
    )
    tag = models.ForeignKey(
        EnterpriseTag,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("tag"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tagged by"),
    )
    created_at = models.DateTimeField(_("tagged at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = TagAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["tag__name"]
        verbose_name = _("enterprise tag assignment")
        verbose_name_plural = _("enterprise tag assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "tag"],
                name="%(app_label)s_%(class)s_once_per_enterprise",
                violation_error_message=_("The enterprise already has this tag."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.tag)
