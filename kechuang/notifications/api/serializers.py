"""Serializers of the notifications API."""

from __future__ import annotations

from rest_framework import serializers

from ..models import Notification
from ..registry import KINDS

__all__ = ["NotificationSerializer", "MarkReadSerializer"]


class NotificationSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField()
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "body",
            "link",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields

    def get_kind_label(self, obj: Notification) -> str:
        kind = KINDS.get(obj.kind)
        return str(kind.label) if kind else obj.kind


class MarkReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(read_only=True)
