"""Serializers of the notices API."""

from __future__ import annotations

from rest_framework import serializers

from ..choices import ObjectionAction
from ..models import Notice, NoticeItem, Objection, ObjectionEvent

__all__ = [
    "NoticeSerializer",
    "NoticeItemSerializer",
    "ObjectionSerializer",
    "HandleInputSerializer",
]


class NoticeItemSerializer(serializers.ModelSerializer):
    """The published fields only (never the owner's object)."""

    class Meta:
        model = NoticeItem
        fields = ["id", "position", "label", "fields", "held", "outcome"]
        read_only_fields = fields


class NoticeSerializer(serializers.ModelSerializer):
    items = NoticeItemSerializer(many=True, read_only=True)

    class Meta:
        model = Notice
        fields = [
            "id",
            "title",
            "kind",
            "body",
            "status",
            "window_kind",
            "window_length",
            "published_at",
            "window_last_day",
            "window_ends_at",
            "window_note",
            "final_body",
            "finalised_at",
            "items",
        ]
        read_only_fields = fields


class ObjectionEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ObjectionEvent
        fields = ["action", "actor", "at", "note"]
        read_only_fields = fields


class ObjectionSerializer(serializers.ModelSerializer):
    events = ObjectionEventSerializer(many=True, read_only=True)

    class Meta:
        model = Objection
        fields = [
            "id",
            "receipt_no",
            "notice",
            "item",
            "name",
            "organisation",
            "contact",
            "reasons",
            "received_at",
            "status",
            "reply",
            "replied_at",
            "events",
        ]
        read_only_fields = fields


class HandleInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ObjectionAction.choices)
    reply = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
