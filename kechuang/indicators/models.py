"""Indicator catalogue, indicator sets with weights, values per region and year, and targets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kechuang.core.models import ProvenanceMixin
from kechuang.core.validators import validate_plain_text, validate_single_line
from kechuang.core.years import validate_year

__all__ = [
    "Direction",
    "IndicatorSource",
    "Normalisation",
    "Aggregation",
    "TargetComparison",
    "Indicator",
    "IndicatorSet",
    "IndicatorSetMember",
    "IndicatorValue",
    "Target",
    "IndexNode",
    "IndexRun",
    "IndexScore",
]


class Direction(models.IntegerChoices):
    HIGHER_IS_BETTER = 1, _("Higher is better")
    LOWER_IS_BETTER = -1, _("Lower is better")


class IndicatorSource(models.TextChoices):
    COMPUTED = "computed", _("Computed by the platform")
    REPORTED = "reported", _("Reported (entered or imported)")


class Normalisation(models.TextChoices):
    MIN_MAX = "min_max", _("Min–max")
    Z_SCORE = "z_score", _("Z-score")
    DISTANCE_TO_TARGET = "distance_to_target", _("Distance to target")


class Aggregation(models.TextChoices):
    ARITHMETIC = "arithmetic", _("Arithmetic (weighted sum)")
    GEOMETRIC = "geometric", _("Geometric (weighted product)")


class TargetComparison(models.TextChoices):
    AT_LEAST = "at_least", _("At least")
    AT_MOST = "at_most", _("At most")


class _Named(models.Model):
    name_zh = models.CharField(_("name (Chinese)"), max_length=128)
    name_en = models.CharField(_("name (English)"), max_length=128, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        """The name in the active language (Chinese unless English is active and given)."""
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh

    def __str__(self) -> str:
        return self.name


# ------------------------------------------------------------------ Indicator


class Indicator(_Named):
    """One indicator of the catalogue.

    source: *computed* indicators take the home region's value from a function registered in
    `indicators.registry` under `code` (live data); *reported* indicators are entered or imported
    per region and year (IndicatorValue). Peer regions' values are always reported.
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    unit = models.CharField(_("unit"), max_length=32, blank=True)
    direction = models.SmallIntegerField(
        _("direction"), choices=Direction.choices, default=Direction.HIGHER_IS_BETTER
    )
    definition = models.TextField(
        _("definition"), max_length=2000, blank=True, validators=[validate_plain_text]
    )
    source = models.CharField(
        _("source"),
        max_length=16,
        choices=IndicatorSource.choices,
        default=IndicatorSource.REPORTED,
    )
    decimals = models.PositiveSmallIntegerField(_("decimals shown"), default=2)
    max_value = models.DecimalField(
        _("largest valid value"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("E.g. 100 for a percentage; empty for no upper bound."),
    )
    min_value = models.FloatField(
        _("smallest valid value"),
        null=True,
        blank=True,
        default=0.0,
        help_text=_("E.g. 0 for a count; empty when negative values are valid (GDP growth)."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")


# ------------------------------------------------------------------ IndicatorSet


class IndicatorSet(_Named):
    """A weighted set of indicators that yields a composite index per region and year.

    `is_demo_configuration` marks sets shipped with the demo: their indicators and weights are
    illustrative, not an official list (the official "6+2" list is unconfirmed).
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    description = models.TextField(
        _("description"), max_length=2000, blank=True, validators=[validate_plain_text]
    )
    normalisation = models.CharField(
        _("normalisation"),
        max_length=24,
        choices=Normalisation.choices,
        default=Normalisation.MIN_MAX,
    )
    aggregation = models.CharField(
        _("aggregation"), max_length=16, choices=Aggregation.choices, default=Aggregation.ARITHMETIC
    )
    is_ranked = models.BooleanField(
        _("ranked among peer regions"), default=True, help_text=_("Shown on the leadership view.")
    )
    is_demo_configuration = models.BooleanField(_("demo configuration"), default=False)
    methodology = models.JSONField(
        _("methodology"),
        default=dict,
        blank=True,
        help_text=_("The steps of the index; empty: the normalisation and aggregation "
                    "above, no data preparation."),
    )  # fmt: skip
    methodology_version = models.PositiveIntegerField(_("methodology version"), default=1)
    # raised by one on every edit of the tree (nodes, members, weights); the set's history
    # records who, when and what (docs/indicators.md#editing-the-tree)
    tree_version = models.PositiveIntegerField(_("tree version"), default=1)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    indicators = models.ManyToManyField(
        Indicator, through="IndicatorSetMember", related_name="sets", verbose_name=_("indicators")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("indicator set")
        verbose_name_plural = _("indicator sets")

    def get_absolute_url(self) -> str:
        return reverse("indicators:set_detail", args=[self.code])


class IndicatorSetMember(models.Model):
    """An indicator's weight (and, for distance-to-target normalisation, its target) in a set."""

    indicator_set = models.ForeignKey(
        IndicatorSet, on_delete=models.CASCADE, related_name="members", verbose_name=_("set")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("indicator")
    )
    weight = models.DecimalField(_("weight"), max_digits=8, decimal_places=4)
    benchmark = models.DecimalField(
        _("benchmark (target value)"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("The reference value for distance-to-target normalisation, in the unit."),
    )
    node = models.ForeignKey(
        "IndexNode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("pillar / sub-index"),
        help_text=_("The aggregate the indicator belongs to; empty: directly under the index."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("set member")
        verbose_name_plural = _("set members")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_set", "indicator"],
                name="%(app_label)s_%(class)s_unique_set_indicator",
                violation_error_message=_("This indicator is already in the set."),
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gte=0),
                name="%(app_label)s_%(class)s_weight_not_negative",
                violation_error_message=_("A weight must not be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_set.code}:{self.indicator.code}"


# ------------------------------------------------------------------ IndicatorValue


class IndicatorValue(ProvenanceMixin):
    """The value of an indicator for one region and year, in the indicator's unit."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.CASCADE,
        related_name="indicator_values",
        verbose_name=_("region"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # float64 (double precision), stored exactly as given: ratios keep every digit and values
    # below 0.00005 stay non-zero (docs/indicators.md#storage)
    value = models.FloatField(_("value"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "year", "region"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "region", "year"],
                name="%(app_label)s_%(class)s_unique_indicator_region_year",
                violation_error_message=_("A value for this indicator, region and year exists."),
            )
        ]
        indexes = [models.Index(fields=["year", "indicator"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.region_id} {self.year}: {self.value}"


# ------------------------------------------------------------------ Target


class Target(models.Model):
    """An annual target of the home region for one indicator, e.g. valid high-tech enterprises
    at least 1000 (source: the bureau's work plan)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_year])
    value = models.DecimalField(_("target value"), max_digits=20, decimal_places=4)
    comparison = models.CharField(
        _("comparison"),
        max_length=16,
        choices=TargetComparison.choices,
        default=TargetComparison.AT_LEAST,
    )
    source = models.CharField(
        _("source"), max_length=255, blank=True, validators=[validate_single_line]
    )
    note = models.CharField(_("note"), max_length=255, blank=True, validators=[validate_plain_text])
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "indicator__sort_order", "indicator__code"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="%(app_label)s_%(class)s_unique_indicator_year",
                violation_error_message=_("This indicator already has a target for the year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year} ≥ {self.value}"


# ------------------------------------------------------------------ index tree and runs


class IndexNode(_Named):
    """An aggregate of a set's tree: a pillar, a sub-index, … (docs/indicators.md#tree). Its
    weight is relative to its siblings; a node without parent sits directly under the index."""

    indicator_set = models.ForeignKey(
        IndicatorSet, on_delete=models.CASCADE, related_name="nodes", verbose_name=_("set")
    )
    code = models.SlugField(_("code"), max_length=64)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    weight = models.FloatField(_("weight"), default=1.0)
    is_pending_policy = models.BooleanField(
        _("pending policy verification"),
        default=False,
        help_text=_("Composition and weights not published: configuration to be verified."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("index node")
        verbose_name_plural = _("index nodes")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_set", "code"],
                name="%(app_label)s_%(class)s_unique_set_code",
                violation_error_message=_("This code is already used in the set."),
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gte=0),
                name="%(app_label)s_%(class)s_weight_not_negative",
                violation_error_message=_("A weight must not be negative."),
            ),
        ]


class IndexRun(models.Model):
    """One computation of a set's index for a year, with the methodology it ran (copied, so a
    later edit of the set does not change what this result means) and every stage's flags."""

    indicator_set = models.ForeignKey(
        IndicatorSet, on_delete=models.CASCADE, related_name="runs", verbose_name=_("set")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    methodology = models.JSONField(_("methodology"))
    methodology_version = models.PositiveIntegerField(_("methodology version"))
    tree_version = models.PositiveIntegerField(_("tree version"), default=1)
    fingerprint = models.CharField(_("methodology fingerprint"), max_length=16)
    tree = models.JSONField(_("tree"))
    stages = models.JSONField(_("stages"), default=dict)
    units = models.PositiveIntegerField(_("regions ranked"), default=0)
    precision_rank_changes = models.PositiveIntegerField(
        _("ranks changed by rounding to the shown decimals"), default=0
    )
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("computed by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-computed_at", "-id"]
        verbose_name = _("index computation")
        verbose_name_plural = _("index computations")
        indexes = [models.Index(fields=["indicator_set", "year"])]

    def __str__(self) -> str:
        return f"{self.indicator_set.code} {self.year} v{self.methodology_version}"


class IndexScore(models.Model):
    """A region's score and rank on one node (pillar, sub-index, index) of a run."""

    run = models.ForeignKey(
        IndexRun, on_delete=models.CASCADE, related_name="scores", verbose_name=_("run")
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("region")
    )
    node = models.CharField(_("node"), max_length=64)
    score = models.FloatField(_("score"), null=True)
    rank = models.PositiveIntegerField(_("rank"), null=True)

    class Meta:
        ordering = ["run", "node", "rank"]
        verbose_name = _("index score")
        verbose_name_plural = _("index scores")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "region", "node"], name="%(app_label)s_%(class)s_unique_run_node"
            )
        ]
