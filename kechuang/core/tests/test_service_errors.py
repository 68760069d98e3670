"""core.api.service_errors: a service's validation and field-policy errors become DRF's
field-level 400; other permission errors stay 403."""

from __future__ import annotations

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from rest_framework import serializers

from kechuang.core.api import service_errors
from kechuang.enterprises.policy import FieldPolicyError


def _detail(exc: Exception) -> dict:
    with pytest.raises(serializers.ValidationError) as caught, service_errors():
        raise exc
    return caught.value.detail


def test_field_errors_keep_their_fields():
    detail = _detail(ValidationError({"year": ["年份不在范围内。"], NON_FIELD_ERRORS: ["重复。"]}))
    assert detail["year"] == ["年份不在范围内。"]
    assert detail["non_field_errors"] == ["重复。"]


def test_a_message_without_field_is_a_non_field_error():
    assert _detail(ValidationError("无效。"))["non_field_errors"] == ["无效。"]


def test_field_policy_errors_name_the_fields():
    assert _detail(FieldPolicyError({"name": ["不可修改。"]}))["name"] == ["不可修改。"]


def test_a_plain_permission_error_stays_a_403():
    with pytest.raises(PermissionDenied), service_errors():
        raise PermissionDenied
