"""API of the qualification engine: stored results (scoped), and ad-hoc evaluation
(docs/qualification-rules.md#offline-evaluation)."""

from __future__ import annotations

import json
import logging
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import api_view, parser_classes
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from kechuang.core.access import HasCapability, api_capability

from ..filters import AssessmentResultFilterSet
from ..logic import evaluate_case
from ..pages import newest_results
from ..selectors import logic_ruleset, ruleset_in_force
from .serializers import AssessmentResultSerializer, EvaluateInputSerializer

logger = logging.getLogger(__name__)

__all__ = ["AssessmentResultViewSet", "evaluate"]


class AssessmentResultViewSet(viewsets.ReadOnlyModelViewSet):
    """Stored results of each year's newest run, scoped through the enterprise (``for_user``)."""

    serializer_class = AssessmentResultSerializer
    filterset_class = AssessmentResultFilterSet
    permission_classes = [HasCapability]
    capability = "api.read"
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        results = newest_results(self.request.user)
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return results.none()
        return results


def _plain(value):
    """JSON-safe copy of an engine result (Fractions and Decimals as numbers)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (Fraction, Decimal)):
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@extend_schema(request=EvaluateInputSerializer, responses={200: OpenApiTypes.OBJECT})
@api_capability("api.evaluate")
@api_view(["POST"])
@parser_classes([JSONParser])
def evaluate(request):
    """Evaluate one case (money in 万元) and answer its result (offline-interface shapes); nothing is stored.

    Bureau staff and enterprise users only. Bad input is a 400 with field errors, never a 500.
    """
    if not isinstance(request.data, dict):
        return Response(
            {"non_field_errors": [_("The case must be a JSON object.")]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    serializer = EvaluateInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    # The engine reads the raw case (exact decimals): re-parse the body keeping floats exact.
    try:
        case = json.loads(request.body, parse_float=Decimal)
    except ValueError:
        case = dict(request.data)
    try:
        rs = logic_ruleset(ruleset_in_force(serializer.validated_data["application_date"]))
        result = evaluate_case(case, ruleset=rs)
    except LookupError:
        logger.info("No rule set for an evaluation", exc_info=True)
        return Response(
            {"application_date": [_("No rule set is in force on this application date.")]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    except (ValueError, TypeError, KeyError, AttributeError, ArithmeticError):
        logger.warning("An evaluation case could not be evaluated", exc_info=True)
        return Response(
            {
                "non_field_errors": [
                    _("The case could not be evaluated; check its figures and dates.")
                ]
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    return Response(_plain(result))
