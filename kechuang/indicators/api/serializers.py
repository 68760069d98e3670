"""Serializers of the indicator API."""

from rest_framework import serializers

from kechuang.regions.models import Region

from ..models import Indicator, IndicatorSet, IndicatorSetMember, IndicatorValue, Target


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
