"""API representations of the programme objects (money in yuan, as stored)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from ..models import (
    Application,
    Call,
    ConflictRecord,
    Investment,
    Notification,
    ProgrammeType,
    ProgressReport,
    Project,
    ReviewAssignment,
    Topic,
    Tranche,
)
from ..services import TYPE_FIELDS

__all__ = [
    "ProgrammeTypeSerializer",
    "CallSerializer",
    "ApplicationSerializer",
    "AssignmentSerializer",
    "ConflictSerializer",
    "ProjectSerializer",
    "TrancheSerializer",
    "InvestmentSerializer",
    "ReportSerializer",
    "NotificationSerializer",
    "ScoreInputSerializer",
    "DeclareInputSerializer",
]


class ProgrammeTypeSerializer(serializers.ModelSerializer):
    """A programme type's whole configuration (bureau staff read and write it; the service
    checks the lists and answers field by field)."""

    class Meta:
        model = ProgrammeType
        fields = ["id", *TYPE_FIELDS]
        read_only_fields = ["id"]


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["id", "name", "fields"]


class CallSerializer(serializers.ModelSerializer):
    programme = serializers.CharField(source="programme_type.name", read_only=True)
    topics = TopicSerializer(many=True, read_only=True)

    class Meta:
        model = Call
        fields = [
            "id",
            "programme",
            "year",
            "title",
            "guide",
            "opens_at",
            "closes_at",
            "total_budget_yuan",
            "awards_expected",
            "status",
            "topics",
        ]


class ApplicationSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id", "call", "topic", "enterprise", "enterprise_name", "title", "summary", "objectives",
            "partners", "kpis", "budget", "team", "schedule", "total_yuan", "requested_yuan",
            "own_yuan", "status", "tracking_number", "submitted_at", "version", "checks", "score",
            "rank",
        ]  # fmt: skip
        read_only_fields = fields


class AssignmentSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="application.title", read_only=True)

    class Meta:
        model = ReviewAssignment
        fields = [
            "id",
            "application",
            "title",
            "expert",
            "stage",
            "status",
            "declared_at",
            "scores",
            "total",
            "comments",
            "submitted_at",
        ]
        read_only_fields = fields


class ConflictSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConflictRecord
        fields = ["id", "application", "expert", "stage", "kind", "reason", "source", "detected_at"]


class ProjectSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="application.title", read_only=True)
    enterprise = serializers.IntegerField(source="application.enterprise_id", read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "number",
            "application",
            "title",
            "enterprise",
            "status",
            "grant_yuan",
            "starts_on",
            "ends_on",
            "signed_at",
        ]


class TrancheSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tranche
        fields = [
            "id",
            "project",
            "seq",
            "label",
            "after",
            "share_pct",
            "amount_yuan",
            "status",
            "hold_reason",
            "paid_on",
        ]


class InvestmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Investment
        fields = [
            "id",
            "project",
            "amount_yuan",
            "pre_money_yuan",
            "stake_pct",
            "co_investors",
            "lockup_months",
            "exit_terms",
            "milestones",
            "invested_on",
            "status",
            "exited_on",
            "exit_proceeds_yuan",
        ]


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "project",
            "kind",
            "due_on",
            "submitted_at",
            "kpis",
            "narrative",
            "outcome",
            "panel_reasons",
            "decided_at",
        ]


@extend_schema_serializer(component_name="ProgrammeNotification")
class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "text", "url", "created_at", "read_at"]


class DeclareInputSerializer(serializers.Serializer):
    conflict = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=255)


class ScoreInputSerializer(serializers.Serializer):
    scores = serializers.DictField(child=serializers.CharField(max_length=16))
    comments = serializers.CharField(required=False, allow_blank=True, max_length=4000)
