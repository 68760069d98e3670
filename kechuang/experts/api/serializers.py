"""Serializers of the expert-pool API."""

from __future__ import annotations

from rest_framework import serializers

from kechuang.core.access import can

from ..conf import relationship_kinds
from ..models import Expert, ExpertRelationship, Field, Organisation

__all__ = ["OrganisationSerializer", "ExpertSerializer", "RelationshipSerializer"]


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "enterprise", "city", "credit_code", "created_at"]
        read_only_fields = ["id", "created_at"]


class ExpertSerializer(serializers.ModelSerializer):
    fields = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Field.objects.filter(active=True), required=False
    )

    class Meta:
        model = Expert
        fields = [
            "id",
            "name",
            "organisation",
            "title",
            "fields",
            "summary",
            "phone",
            "email",
            "availability",
            "available_from",
            "available_until",
            "user",
            "active",
            "updated_at",
        ]
        read_only_fields = ["id", "user", "updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not (can(user, "experts.manage") or instance.user_id == user.pk):
            data.pop("phone", None)
            data.pop("email", None)
        return data


class RelationshipSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=[])

    class Meta:
        model = ExpertRelationship
        fields = [
            "id",
            "expert",
            "kind",
            "organisation",
            "enterprise",
            "since",
            "until",
            "declared_by",
            "declared_at",
            "note",
        ]
        read_only_fields = ["id", "declared_by", "declared_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (code, str(label)) for code, (label, _years) in relationship_kinds().items()
        ]
