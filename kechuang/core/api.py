"""REST framework glue: an exception handler that never lets bad input become a 500, and the
schema class that documents every status code an operation answers."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

__all__ = ["exception_handler", "AutoSchema", "service_errors"]

logger = logging.getLogger(__name__)


@contextmanager
def service_errors() -> Iterator[None]:
    """Turn a service's Django ValidationError (or a permission error that names the fields it
    refuses, `errors = {field: [message]}`) into DRF's field-level 400."""
    try:
        yield
    except PermissionDenied as exc:
        errors = getattr(exc, "errors", None)
        if not isinstance(errors, dict):
            raise
        raise serializers.ValidationError(errors) from exc
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            detail = {
                (
                    api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field
                ): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
        raise serializers.ValidationError(detail) from exc


def exception_handler(exc, context):
    """DRF's handler, plus model validation and integrity errors answered as field-level 400s.

    Last resort only (the causes are fixed where the input is parsed): a value the database
    cannot hold (DataError on PostgreSQL, OverflowError from SQLite's driver) is a 400 too.
    """
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, IntegrityError):
        # The database's own text names tables and constraints: logged, never shown.
        logger.warning("Integrity error in %r: %s", context.get("view"), exc)
        return Response(
            {
                "non_field_errors": [
                    _(
                        "The record conflicts with an existing one (a duplicate, or changed by "
                        "someone else at the same time); reload and try again."
                    )
                ]
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, (DataError, OverflowError)):
        view = context.get("view")
        logger.warning("Out-of-range input reached the database in %r: %s", view, exc)
        return Response(
            {"non_field_errors": [_("A value in the request is out of range.")]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)


# ------------------------------------------------------------------ schema

_BODY_METHODS = {"POST", "PUT", "PATCH"}

_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# Field name → messages (or a list of messages for a non-object body).
_FIELD_ERRORS = {
    "oneOf": [
        {"type": "object", "additionalProperties": {}},
        {"type": "array", "items": {"type": "string"}},
    ]
}


def _error(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's AutoSchema, adding the error answers every operation really gives.

    - 400 with field messages: operations with a request body or query parameters (filters,
      pagination, the year of a report view);
    - 401/403 with `detail`: every operation that needs a login (DRF answers 401 when the first
      authentication class names a WWW-Authenticate scheme, 403 otherwise; a role without the
      right is always 403);
    - 404 with `detail`: operations with a path parameter (no such row, or outside the user's
      scope) and paginated lists (a page past the end).
    An operation's own `extend_schema(responses=…)` for a code wins.
    """

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        parameters = operation.get("parameters", [])
        has_query = any(p.get("in") == "query" for p in parameters)
        has_path = any(p.get("in") == "path" for p in parameters)
        if self.method in _BODY_METHODS or has_query:
            responses.setdefault(
                "400", _error(_("Invalid input (messages per field)."), _FIELD_ERRORS)
            )
        if self.method in _BODY_METHODS:
            responses.setdefault(
                "415", _error(_("The request body's media type is not accepted."), _DETAIL)
            )
        if not self._allows_anyone():
            if self._challenges():
                responses.setdefault("401", _error(_("Not logged in."), _DETAIL))
            responses.setdefault("403", _error(_("Not logged in, or not allowed."), _DETAIL))
        if has_path or (self._is_list_view() and self._get_paginator() is not None):
            responses.setdefault("404", _error(_("Not found."), _DETAIL))
        return operation

    def _allows_anyone(self) -> bool:
        permissions = self.view.get_permissions()
        return all(isinstance(p, AllowAny) for p in permissions)

    def _challenges(self) -> bool:
        """Whether a missing login is a 401 (DRF uses the first authenticator's header)."""
        authenticators = self.view.get_authenticators()
        if not authenticators:
            return False
        # The header does not depend on the request for DRF's authenticators.
        return bool(authenticators[0].authenticate_header(None))  # type: ignore[arg-type]
