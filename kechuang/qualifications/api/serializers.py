"""Serializers of the qualification API: stored results, and the evaluation input of
docs/qualification-rules.md#offline-evaluation."""

from __future__ import annotations

from rest_framework import serializers

from ..models import AssessmentResult

__all__ = ["AssessmentResultSerializer", "EvaluateInputSerializer"]


class AssessmentResultSerializer(serializers.ModelSerializer):
    """One stored result with its run (year, evaluation date, rule set, whether current)."""

    year = serializers.IntegerField(source="run.year", read_only=True)
    evaluation_date = serializers.DateField(source="run.evaluation_date", read_only=True)
    rule_set_version = serializers.CharField(source="run.rule_set_version", read_only=True)
    assessed_at = serializers.DateTimeField(source="run.created_at", read_only=True)
    current = serializers.SerializerMethodField()
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    credit_code = serializers.CharField(source="enterprise.credit_code", read_only=True)

    class Meta:
        model = AssessmentResult
        fields = [
            "id", "run", "year", "evaluation_date", "rule_set_version", "assessed_at", "current",
            "enterprise", "enterprise_name", "credit_code", "tier", "status", "held",
            "score_min", "score_max", "route", "conditions", "gaps", "failed_count",
            "unknown_count", "gap_rd_yuan", "gap_tech_staff", "gap_ip_class1", "gap_ip_class2",
            "gap_cost_wan",
        ]  # fmt: skip
        read_only_fields = fields

    def get_current(self, obj) -> bool:
        from ..selectors import run_is_current

        cache = self.context.setdefault("_current", {})
        if obj.run_id not in cache:
            cache[obj.run_id] = run_is_current(obj.run)
        return cache[obj.run_id]


class EvaluateInputSerializer(serializers.Serializer):
    """The offline-interface case: the fields checked here get field-level errors; the engine checks the rest
    (absent = unknown, never zero)."""

    id = serializers.JSONField(required=False, allow_null=True)
    application_date = serializers.DateField()
    registration_date = serializers.DateField(required=False, allow_null=True)
    is_resident_enterprise = serializers.BooleanField(required=False, allow_null=True)
    fiscal_years = serializers.DictField(child=serializers.DictField(), required=False)
    ip_assets = serializers.ListField(child=serializers.DictField(), required=False)
    certificates = serializers.ListField(child=serializers.DictField(), required=False)
    incidents = serializers.ListField(child=serializers.DictField(), required=False)
    credit_flags = serializers.DictField(required=False)
    flags = serializers.DictField(required=False)
    expert_inputs = serializers.DictField(required=False)
