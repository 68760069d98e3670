"""API of the global search (docs/enterprise-file.md#global-search):
GET /api/v1/enterprises/search/?q= → the enterprises of the caller's scope matching a name,
credit code or person, best first."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from kechuang.core.access import HasCapability

from ..search import MAX_QUERY, search_enterprises

__all__ = ["SearchView"]


class SearchHitSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="enterprise.pk")
    name = serializers.CharField(source="enterprise.name")
    credit_code = serializers.CharField(source="enterprise.credit_code")
    town = serializers.CharField(source="enterprise.town.name")
    matched = serializers.ChoiceField(choices=["code", "name", "person"])
    person = serializers.CharField(allow_blank=True)
    person_role = serializers.CharField(allow_blank=True)
    url = serializers.CharField(source="enterprise.get_absolute_url")


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=MAX_QUERY, required=False, allow_blank=True)


class SearchView(APIView):
    permission_classes = [HasCapability]
    capability = "search.enterprises"

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Name, credit code or person")],
        responses=SearchHitSerializer(many=True),
    )
    def get(self, request):
        query = SearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        hits = search_enterprises(request.user, query.validated_data.get("q", ""))
        return Response(SearchHitSerializer(hits, many=True).data)
