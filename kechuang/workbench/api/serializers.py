"""Serializers of the workbench API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

__all__ = ["TodoSerializer"]


class TodoSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Stable code of the to-do kind."))
    label = serializers.CharField(  # type: ignore[assignment]  # a field named like Field.label
        help_text=_("What waits, in the user's language.")
    )
    count = serializers.IntegerField(help_text=_("Records waiting, in the user's scope."))
    url = serializers.CharField(help_text=_("The list that shows exactly these records."))
