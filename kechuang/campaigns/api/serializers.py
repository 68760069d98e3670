"""Serializers of the campaigns API: output shapes, and input shapes parsed before a service."""

from __future__ import annotations

import datetime as dt

from rest_framework import serializers

from kechuang.core.validators import validate_plausible_date

from ..choices import CampaignKind, TaskState
from ..models import Campaign, VisitRecord, VisitTask

__all__ = [
    "CampaignSerializer",
    "CampaignInputSerializer",
    "VisitTaskSerializer",
    "TransitionInputSerializer",
    "ReassignInputSerializer",
    "VisitRecordSerializer",
    "VisitRecordInputSerializer",
]


class CampaignSerializer(serializers.ModelSerializer):
    n_tasks = serializers.IntegerField(read_only=True)
    n_visited = serializers.IntegerField(read_only=True)
    n_closed = serializers.IntegerField(read_only=True)
    n_overdue = serializers.IntegerField(read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "year",
            "kind",
            "target_spec",
            "due_date",
            "description",
            "created_by",
            "created_at",
            "n_tasks",
            "n_visited",
            "n_closed",
            "n_overdue",
        ]
        read_only_fields = fields


class CampaignInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=128)
    kind = serializers.ChoiceField(choices=CampaignKind.choices)
    target_spec = serializers.JSONField()
    due_date = serializers.DateField()
    description = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_target_spec(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError(
                'Expected an object such as {"kind": "zero_rd", "year": 2024}.'
            )
        return value

    def validate_due_date(self, value):
        if value < dt.date.today():
            raise serializers.ValidationError("The due date cannot be in the past.")
        return value


class VisitTaskSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    credit_code = serializers.CharField(source="enterprise.credit_code", read_only=True)
    town = serializers.IntegerField(source="enterprise.town_id", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    needs_assignment = serializers.BooleanField(read_only=True)

    class Meta:
        model = VisitTask
        fields = [
            "id",
            "campaign",
            "enterprise",
            "enterprise_name",
            "credit_code",
            "town",
            "assignee",
            "state",
            "due_date",
            "is_overdue",
            "needs_assignment",
        ]
        read_only_fields = fields


class TransitionInputSerializer(serializers.Serializer):
    to_state = serializers.ChoiceField(choices=TaskState.choices)


class ReassignInputSerializer(serializers.Serializer):
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=VisitTask._meta.get_field("assignee").related_model.objects.all(),
        allow_null=True,
    )
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class VisitRecordSerializer(serializers.ModelSerializer):
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = VisitRecord
        fields = [
            "id",
            "enterprise",
            "tasks",
            "visit_date",
            "people_met",
            "findings",
            "agreed_actions",
            "outcome",
            "created_by",
            "created_at",
            "attachments",
        ]
        read_only_fields = fields

    def get_attachments(self, obj) -> list[str]:
        return [a.name for a in obj.attachments.all()]


class VisitRecordInputSerializer(serializers.Serializer):
    task = serializers.IntegerField(min_value=1)
    visit_date = serializers.DateField(validators=[validate_plausible_date])
    people_met = serializers.CharField(max_length=255)
    findings = serializers.CharField()
    agreed_actions = serializers.CharField(required=False, allow_blank=True, default="")
    outcome = serializers.ChoiceField(
        choices=[TaskState.VISITED, TaskState.FOLLOW_UP, TaskState.CLOSED],
        default=TaskState.VISITED,
    )
    also_task_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list
    )
