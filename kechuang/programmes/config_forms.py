"""The programme type's configuration page: the type's own fields, and one formset per list
(budget categories, KPI template, eligibility conditions, score-sheet criteria, tranche plan).
Every row is a set of proper fields; the page never shows the stored data structure."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from kechuang.qualifications.logic.conditions import OPS

from .logic.config import STATUSES, TRANCHE_AFTER, parse_threshold
from .logic.eligibility import FACTS
from .logic.review import AGGREGATIONS, DEFAULT_SCHEME
from .models import ProgrammeType
from .selectors import MEASURE_ALIASES, MEASURES

__all__ = ["ProgrammeTypeForm", "type_formsets", "type_values"]

OP_LABELS = {">=": "不低于", ">": "高于", "<=": "不高于", "<": "低于", "==": "等于", "!=": "不等于"}
AGGREGATION_LABELS = {
    "mean": _("mean"),
    "trimmed_mean": _("trimmed mean (the highest and the lowest score dropped)"),
    "median": _("median"),
}


class ProgrammeTypeForm(forms.ModelForm):
    """The type's own fields, the review scheme's numbers and the project's duration."""

    k = forms.IntegerField(label=_("Experts per application"), min_value=1, max_value=15)
    aggregation = forms.ChoiceField(
        label=_("Aggregation of the scores"),
        choices=[(a, AGGREGATION_LABELS[a]) for a in AGGREGATIONS],
    )
    dispersion_threshold = forms.DecimalField(
        label=_("Dispersion threshold (standard deviation of the totals)"),
        min_value=Decimal(0),
        max_digits=6,
        decimal_places=2,
        help_text=_("Above it the application is flagged for panel discussion."),
    )
    duration_months = forms.IntegerField(
        label=_("Project duration (months)"), min_value=1, max_value=120
    )
    eligibility_version = forms.CharField(
        label=_("Name of the eligibility rule set"), max_length=64, required=False
    )

    class Meta:
        model = ProgrammeType
        fields = [
            "code",
            "name",
            "description",
            "funding_mode",
            "cap_yuan",
            "own_share_min_pct",
            "notice_days",
            "notice_working_days",
        ]
        labels = {
            "code": _("Code"),
            "name": _("Name"),
            "description": _("Guide and description"),
            "funding_mode": _("Funding mode"),
            "cap_yuan": _("Funding cap per project (yuan)"),
            "own_share_min_pct": _("Minimum own-funds share (%)"),
            "notice_days": _("Public notice period (days)"),
            "notice_working_days": _("Count the notice period in working days"),
        }
        help_texts = {
            "code": _("Lower-case letters, digits and underscores; fixed once saved."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ptype = self.instance
        scheme = {**DEFAULT_SCHEME, **(ptype.review_scheme or {})}
        if not self.is_bound:
            self.initial.update(
                k=scheme["k"],
                aggregation=scheme["aggregation"],
                dispersion_threshold=scheme["dispersion_threshold"],
                duration_months=(ptype.investment_terms or {}).get("duration_months", 24),
                eligibility_version=(ptype.eligibility or {}).get("version", ""),
            )
        if ptype.pk:
            self.fields["code"].disabled = True
        for name in ("cap_yuan", "own_share_min_pct"):
            self.fields[name].validators.append(_not_negative)
        self.fields["own_share_min_pct"].validators.append(_at_most_100)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if code != code.lower() or "-" in code:
            raise forms.ValidationError(_("Use lower-case letters, digits and underscores."))
        return code


def _not_negative(value: Any) -> None:
    if value is not None and value < 0:
        raise forms.ValidationError(_("Enter a value of at least 0."))


def _at_most_100(value: Any) -> None:
    if value is not None and value > 100:
        raise forms.ValidationError(_("Enter a percentage of at most 100."))


class _Row(forms.Form):
    def has_content(self) -> bool:
        data = getattr(self, "cleaned_data", None) or {}
        return any(v not in (None, "") for k, v in data.items() if k not in self.IGNORED)

    IGNORED: tuple[str, ...] = ("key",)


class CategoryForm(_Row):
    name = forms.CharField(label=_("Budget category"), max_length=32, required=False)


class KpiTemplateForm(_Row):
    indicator = forms.CharField(label=_("Indicator"), max_length=64, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=16, required=False)
    evidence = forms.CharField(label=_("Evidence"), max_length=64, required=False)
    measure = forms.ChoiceField(
        label=_("Registry measure"),
        required=False,
        choices=[("", _("Reported with evidence")), *MEASURES.items()],
    )

    def clean(self) -> Any:
        data = super().clean() or {}
        if self.has_content():
            for name in ("indicator", "unit"):
                if not data.get(name):
                    self.add_error(name, _("Give the indicator and its unit."))
        return data


class ConditionForm(_Row):
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)
    label_zh = forms.CharField(label=_("Condition"), max_length=64, required=False)
    fact = forms.ChoiceField(label=_("Reads"), required=False, choices=[("", "—"), *FACTS.items()])
    op = forms.ChoiceField(
        label=_("Comparison"), required=False, choices=[(o, OP_LABELS[o]) for o in OPS]
    )
    threshold = forms.CharField(
        label=_("Threshold (a number, or 是/否)"), max_length=16, required=False
    )
    unit = forms.CharField(label=_("Unit"), max_length=8, required=False)
    clause = forms.CharField(label=_("Clause"), max_length=128, required=False)
    status = forms.ChoiceField(label=_("Basis"), choices=list(STATUSES.items()))
    IGNORED = ("key", "op", "status")

    def clean(self) -> Any:
        data = super().clean() or {}
        if not self.has_content():
            return data
        if not data.get("label_zh"):
            self.add_error("label_zh", _("Name the condition."))
        if not data.get("fact"):
            self.add_error("fact", _("Choose what the condition reads."))
            return data
        value, error = parse_threshold(data["fact"], data.get("threshold", ""))
        if error:
            self.add_error("threshold", error)
        else:
            data["threshold_value"] = value
        return data


class CriterionForm(_Row):
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)
    label_zh = forms.CharField(label=_("Criterion"), max_length=64, required=False)
    weight = forms.DecimalField(
        label=_("Weight (%)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=5,
        decimal_places=2,
    )
    max = forms.DecimalField(
        label=_("Full marks"),
        required=False,
        min_value=Decimal(1),
        max_digits=5,
        decimal_places=1,
    )

    def clean(self) -> Any:
        data = super().clean() or {}
        if self.has_content():
            for name in ("label_zh", "weight", "max"):
                if data.get(name) in (None, ""):
                    self.add_error(name, _("Give the criterion's name, weight and full marks."))
        return data


class TrancheForm(_Row):
    label = forms.CharField(label=_("Tranche"), max_length=64, required=False)
    share = forms.DecimalField(
        label=_("Share (%)"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
    )
    after = forms.ChoiceField(label=_("Due after"), choices=list(TRANCHE_AFTER.items()))
    IGNORED = ("after",)

    def clean(self) -> Any:
        data = super().clean() or {}
        if self.has_content():
            for name in ("label", "share"):
                if data.get(name) in (None, ""):
                    self.add_error(name, _("Give the tranche's name and share."))
        return data


class _SumTo100(BaseFormSet):
    """Rows whose `field` must add up to 100 (weights, tranche shares)."""

    total_field = ""
    message = ""

    def clean(self) -> None:
        if any(self.errors):
            return
        values = [
            f.cleaned_data[self.total_field]
            for f in self.forms
            if f.cleaned_data and f.has_content() and f.cleaned_data.get(self.total_field)
        ]
        if values and sum(values) != 100:
            raise forms.ValidationError(self.message % {"total": sum(values)})


class CriteriaFormSet(_SumTo100):
    total_field = "weight"
    message = "评分指标的权重合计须为100（现为%(total)s）"

    def clean(self) -> None:
        super().clean()
        if not any(self.errors) and not any(f.cleaned_data and f.has_content() for f in self.forms):
            raise forms.ValidationError("评审方案至少须有一项评分指标")


class TranchesFormSet(_SumTo100):
    total_field = "share"
    message = "各笔拨付比例合计须为100%%（现为%(total)s%%）"


class CategoriesFormSet(BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        names = [f.cleaned_data["name"] for f in self.forms if f.cleaned_data.get("name")]
        if len(set(names)) < len(names):
            raise forms.ValidationError("预算科目不能重复")


ROWS = {
    "categories": formset_factory(CategoryForm, formset=CategoriesFormSet, extra=2, max_num=20),
    "kpis": formset_factory(KpiTemplateForm, extra=2, max_num=20),
    "conditions": formset_factory(ConditionForm, extra=2, max_num=30),
    "criteria": formset_factory(CriterionForm, formset=CriteriaFormSet, extra=1, max_num=12),
    "tranches": formset_factory(TrancheForm, formset=TranchesFormSet, extra=1, max_num=8),
}


def _initial(ptype: ProgrammeType) -> dict[str, list[dict[str, Any]]]:
    scheme = {**DEFAULT_SCHEME, **(ptype.review_scheme or {})}
    conditions = []
    for c in (ptype.eligibility or {}).get("conditions", []):
        threshold = c.get("threshold")
        if isinstance(threshold, bool):
            threshold = "是" if threshold else "否"
        conditions.append(
            {
                "key": c.get("id", ""),
                "label_zh": c.get("label_zh", ""),
                "fact": c.get("fact", ""),
                "op": c.get("op", ">="),
                "threshold": "" if threshold is None else str(threshold),
                "unit": c.get("unit", ""),
                "clause": c.get("clause", ""),
                "status": c.get("status", "UNCONFIRMED"),
            }
        )
    return {
        "categories": [{"name": c} for c in ptype.budget_categories or []],
        "kpis": [
            {
                "indicator": k.get("indicator", ""),
                "unit": k.get("unit", ""),
                "evidence": k.get("evidence", ""),
                "measure": MEASURE_ALIASES.get(k.get("measure", ""), k.get("measure", "")),
            }
            for k in ptype.kpi_template or []
        ],
        "conditions": conditions,
        "criteria": [
            {
                "key": c.get("key", ""),
                "label_zh": c.get("label_zh", ""),
                "weight": c.get("weight"),
                "max": c.get("max"),
            }
            for c in scheme["criteria"]
        ],
        "tranches": [
            {"label": t.get("label", ""), "share": t.get("share"), "after": t.get("after")}
            for t in ptype.tranche_plan or []
        ],
    }


def type_formsets(ptype: ProgrammeType, data: Any = None) -> dict[str, Any]:
    """One formset per configuration list, bound to `data` or filled from the type."""
    if data is not None:
        return {key: cls(data, prefix=key) for key, cls in ROWS.items()}
    initial = _initial(ptype)
    return {key: cls(initial=initial[key], prefix=key) for key, cls in ROWS.items()}


def _filled(formset: Any) -> list[dict[str, Any]]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and f.has_content()]


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _fresh_key(prefix: str, used: set[str]) -> str:
    n = 1
    while f"{prefix}{n}" in used:
        n += 1
    used.add(f"{prefix}{n}")
    return f"{prefix}{n}"


def type_values(form: Any, rows: dict[str, Any]) -> dict[str, Any]:
    """The values a valid page posts, as the programme type stores them."""
    d = form.cleaned_data
    used = {c["key"] for c in _filled(rows["conditions"]) if c.get("key")}
    conditions = [
        {
            "id": c.get("key") or _fresh_key("cond", used),
            "label_zh": c["label_zh"],
            "fact": c["fact"],
            "op": c["op"],
            "threshold": c["threshold_value"],
            "unit": c.get("unit", ""),
            "clause": c.get("clause", ""),
            "status": c["status"],
        }
        for c in _filled(rows["conditions"])
    ]
    used = {c["key"] for c in _filled(rows["criteria"]) if c.get("key")}
    criteria = [
        {
            "key": c.get("key") or _fresh_key("c", used),
            "label_zh": c["label_zh"],
            "weight": _number(c["weight"]),
            "max": _number(c["max"]),
        }
        for c in _filled(rows["criteria"])
    ]
    values = {name: d[name] for name in ProgrammeTypeForm.Meta.fields if name in d}
    values.update(
        {
            "description": d.get("description") or "",
            "budget_categories": [c["name"] for c in _filled(rows["categories"])],
            "kpi_template": [
                {
                    "indicator": k["indicator"],
                    "unit": k["unit"],
                    "evidence": k.get("evidence", ""),
                    "measure": k.get("measure", ""),
                }
                for k in _filled(rows["kpis"])
            ],
            "eligibility": {
                "version": d.get("eligibility_version") or "",
                "conditions": conditions,
            },
            "review_scheme": {
                "k": d["k"],
                "aggregation": d["aggregation"],
                "dispersion_threshold": _number(d["dispersion_threshold"]),
                "criteria": criteria,
            },
            "tranche_plan": [
                {"label": t["label"], "share": _number(t["share"]), "after": t["after"]}
                for t in _filled(rows["tranches"])
            ],
            "investment_terms": {"duration_months": d["duration_months"]},
        }
    )
    return values
