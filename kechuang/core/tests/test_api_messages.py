"""An integrity error reaching the API is a Chinese 400 that does not show the database's text."""

from __future__ import annotations

from django.db import IntegrityError
from django.utils import translation

from kechuang.core.api import exception_handler


def test_integrity_error_is_a_chinese_message_without_database_text(caplog):
    exc = IntegrityError(
        'duplicate key value violates unique constraint "enterprises_enterprise_credit_code_key"'
    )
    with translation.override("zh-hans"):
        response = exception_handler(exc, {"view": None})
    assert response.status_code == 400
    message = response.data["non_field_errors"][0]
    assert "constraint" not in message and "enterprises_" not in message
    assert "重" in message or "冲突" in message
    assert "unique constraint" in caplog.text  # kept for the server log
