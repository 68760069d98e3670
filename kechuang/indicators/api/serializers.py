"""Serializers of the indicator API."""

from rest_framework import serializers

from kechuang.core.years import validate_year
from kechuang.regions.models import Region

from ..models import (
    IndexRun,
    IndexScore,
    Indicator,
    IndicatorSet,
    IndicatorSetMember,
    IndicatorValue,
    Target,
)


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "code", "name_zh", "name_en", "unit", "direction", "definition",
                  "source", "decimals", "max_value", "sort_order"]  # fmt: skip


class IndicatorSetMemberSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = IndicatorSetMember
        fields = ["indicator", "weight", "benchmark"]


class IndicatorSetSerializer(serializers.ModelSerializer):
    members = IndicatorSetMemberSerializer(many=True, read_only=True)

    class Meta:
        model = IndicatorSet
        fields = ["id", "code", "name_zh", "name_en", "description", "normalisation",
                  "aggregation", "is_ranked", "is_demo_configuration", "members"]  # fmt: skip


class IndicatorValueSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", queryset=Indicator.objects.all())
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())

    class Meta:
        model = IndicatorValue
        fields = ["id", "indicator", "region", "year", "value", "source", "updated_at"]
        read_only_fields = ["source", "updated_at"]


class TargetSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", queryset=Indicator.objects.all())

    class Meta:
        model = Target
        fields = ["id", "indicator", "year", "value", "comparison", "source", "note"]


class IndexRunSerializer(serializers.ModelSerializer):
    """A stored computation: which set and year, with which methodology and tree version."""

    indicator_set = serializers.SlugRelatedField(slug_field="code", read_only=True)
    computed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = IndexRun
        fields = ["id", "indicator_set", "year", "methodology_version", "tree_version",
                  "fingerprint", "units", "precision_rank_changes", "computed_at",
                  "computed_by"]  # fmt: skip


class IndexRunDetailSerializer(IndexRunSerializer):
    """A computation with the methodology and tree it ran, and every stage's flags."""

    class Meta(IndexRunSerializer.Meta):
        fields = [*IndexRunSerializer.Meta.fields, "methodology", "tree", "stages"]


class IndexRunCreateSerializer(serializers.Serializer):
    """Compute and store a set's index for a year (bureau staff)."""

    indicator_set = serializers.SlugRelatedField(
        slug_field="code", queryset=IndicatorSet.objects.all()
    )
    year = serializers.IntegerField(validators=[validate_year])


class IndexScoreSerializer(serializers.ModelSerializer):
    """One region's score and rank on one node (pillar, sub-index, the index "Index")."""

    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = IndexScore
        fields = ["region", "region_name", "node", "score", "rank"]
