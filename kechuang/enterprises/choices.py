"""Choice classes of the enterprise registry."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kechuang.core.models import DataSource  # noqa: F401  (re-exported)

__all__ = [
    "IPKind",
    "IPClass",
    "IPStatus",
    "QualificationKind",
    "QualificationStatus",
    "DataSource",
    "SubmissionStatus",
    "ReviewStage",
    "AttachmentKind",
]


class IPClass(models.TextChoices):
    """IP classes of 国科发火〔2016〕195号 §三(二) (also used by the tech-SME scoring)."""

    CLASS_I = "I", _("Class I")
    CLASS_II = "II", _("Class II")
    NONE = "none", _("Not classed")


class IPKind(models.TextChoices):
    """IP kinds; the values match the offline interface (docs/qualification-rules.md#offline-evaluation)."""

    INVENTION_PATENT = "invention_patent", _("Invention patent")
    PLANT_VARIETY = "plant_variety", _("New plant variety")
    NATIONAL_CROP_VARIETY = "national_crop_variety", _("National crop variety")
    NATIONAL_NEW_DRUG = "national_new_drug", _("National new drug")
    TCM_PROTECTED_VARIETY = "tcm_protected_variety_grade1", _("Grade-1 protected TCM variety")
    IC_LAYOUT_DESIGN = "ic_layout_design", _("IC layout design")
    UTILITY_MODEL = "utility_model", _("Utility model patent")
    DESIGN_PATENT = "design_patent", _("Design patent")
    SOFTWARE_COPYRIGHT = "software_copyright", _("Software copyright")
    TRADEMARK = "trademark", _("Trademark")
    OTHER = "other", _("Other")


IP_CLASS_BY_KIND = {
    IPKind.INVENTION_PATENT: IPClass.CLASS_I,
    IPKind.PLANT_VARIETY: IPClass.CLASS_I,
    IPKind.NATIONAL_CROP_VARIETY: IPClass.CLASS_I,
    IPKind.NATIONAL_NEW_DRUG: IPClass.CLASS_I,
    IPKind.TCM_PROTECTED_VARIETY: IPClass.CLASS_I,
    IPKind.IC_LAYOUT_DESIGN: IPClass.CLASS_I,
    IPKind.UTILITY_MODEL: IPClass.CLASS_II,
    IPKind.DESIGN_PATENT: IPClass.CLASS_II,
    IPKind.SOFTWARE_COPYRIGHT: IPClass.CLASS_II,
}


class IPStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    GRANTED = "granted", _("Granted / in force")
    EXPIRED = "expired", _("Expired")
    INVALIDATED = "invalidated", _("Invalidated")


class QualificationKind(models.TextChoices):
    """The rungs of the cultivation ladder (雁阵梯队)."""

    NATIONAL_TECH_SME = "national_tech_sme", _("National tech SME")
    PROVINCIAL_TECH_SME = "provincial_tech_sme", _("Zhejiang tech SME")
    MUNICIPAL_CULTIVATION = "municipal_cultivation", _("Municipal high-tech cultivation enterprise")
    HIGH_TECH = "high_tech", _("High-tech enterprise")
    GAZELLE = "gazelle", _("Gazelle enterprise")
    POTENTIAL_UNICORN = "potential_unicorn", _("Potential unicorn")
    QUASI_UNICORN = "quasi_unicorn", _("Quasi-unicorn")
    UNICORN = "unicorn", _("Unicorn")


UNICORN_TIERS = (
    QualificationKind.GAZELLE,
    QualificationKind.POTENTIAL_UNICORN,
    QualificationKind.QUASI_UNICORN,
    QualificationKind.UNICORN,
)


class QualificationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    REVOKED = "revoked", _("Revoked")


class SubmissionStatus(models.TextChoices):
    """Steps of an enterprise's yearly-figure submission."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting the town's review")
    TOWN_PASSED = "town_passed", _("Passed by the town, awaiting the bureau's review")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


class ReviewStage(models.TextChoices):
    """Who returned a submission: its town's officer or the bureau."""

    TOWN = "town", _("Town review")
    BUREAU = "bureau", _("Bureau review")


class AttachmentKind(models.TextChoices):
    """Documents kept with a yearly-figure submission."""

    FINANCIAL_STATEMENTS = "financial_statements", _("Financial statements")
    RD_LEDGER = "rd_ledger", _("R&D expense auxiliary ledger")
    OTHER = "other", _("Other supporting document")
