"""Serializers of the cooperation API: output shapes, and the demand input parsed before its
service."""

from __future__ import annotations

from rest_framework import serializers

from ..models import (
    Achievement,
    BrokeringRecord,
    CompetitionEntrant,
    CooperationEvent,
    DemandMatch,
    TechContract,
    TechDemand,
)
from ..selectors import demand_details_visible

__all__ = [
    "DemandSerializer",
    "DemandInputSerializer",
    "AchievementSerializer",
    "MatchSerializer",
    "BrokeringSerializer",
    "ContractSerializer",
    "EventSerializer",
    "EntrantSerializer",
]


class DemandSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    description = serializers.SerializerMethodField()

    class Meta:
        model = TechDemand
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "title",
            "summary",
            "description",
            "industry_code",
            "field",
            "mode",
            "budget_min",
            "budget_max",
            "deadline",
            "confidential",
            "origin",
            "visit_record",
            "event",
            "status",
            "posted_on",
            "expires_on",
            "renewals",
        ]

    def get_description(self, obj) -> str | None:
        """The details; null when they are confidential to the user."""
        request = self.context.get("request")
        return obj.description if request and demand_details_visible(request.user, obj) else None


class DemandInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = TechDemand
        fields = [
            "enterprise",
            "title",
            "summary",
            "description",
            "industry_code",
            "field",
            "mode",
            "budget_min",
            "budget_max",
            "deadline",
            "confidential",
        ]
        extra_kwargs = {"enterprise": {"required": False}}

    def validate(self, attrs):
        return attrs


class AchievementSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Achievement
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "title",
            "summary",
            "field",
            "keywords",
            "maturity",
            "ip",
            "mode",
            "contact_expert",
            "active",
        ]


class MatchSerializer(serializers.ModelSerializer):
    achievement_title = serializers.CharField(source="achievement.title", read_only=True)

    class Meta:
        model = DemandMatch
        fields = ["achievement", "achievement_title", "rank", "score", "why"]


class BrokeringSerializer(serializers.ModelSerializer):
    class Meta:
        model = BrokeringRecord
        fields = [
            "id",
            "demand",
            "achievement",
            "supplier",
            "expert",
            "event",
            "officer",
            "agency",
            "stage",
            "started_on",
            "stage_on",
            "close_reason",
        ]


class ContractSerializer(serializers.ModelSerializer):
    statistical_type = serializers.CharField(read_only=True)

    class Meta:
        model = TechContract
        fields = [
            "id",
            "title",
            "declared_type",
            "registered_type",
            "statistical_type",
            "seller",
            "seller_enterprise",
            "seller_organisation",
            "buyer",
            "buyer_enterprise",
            "buyer_region",
            "town",
            "industry_code",
            "signed_on",
            "total_amount",
            "non_technical_costs",
            "technical_amount",
            "status",
            "applied_on",
            "accepted_on",
            "decided_on",
            "certificate_number",
            "refusal_reason",
            "brokering",
        ]


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = CooperationEvent
        fields = [
            "id",
            "name",
            "kind",
            "date",
            "organisations",
            "disciplines",
            "enterprises",
            "experts",
        ]


class EntrantSerializer(serializers.ModelSerializer):
    class Meta:
        model = CompetitionEntrant
        fields = [
            "id",
            "competition",
            "enterprise",
            "project",
            "group",
            "track",
            "furthest_stage",
            "follow_on_support",
        ]
