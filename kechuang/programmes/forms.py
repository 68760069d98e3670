"""Forms of the programme pages: the structured application (rows of partners, KPIs, budget,
team and schedule as formsets), the formal check, the declaration, score sheets, decisions,
contract, investment and reports. Every message is field-level Chinese."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.forms import formset_factory
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kechuang.core.years import validate_year

from .choices import DecisionKind, ReportOutcome
from .models import Call, ProgrammeType
from .selectors import MEASURES

__all__ = [
    "CallForm",
    "ApplicationForm",
    "KpiFormSet",
    "BudgetFormSet",
    "PartnerFormSet",
    "TeamFormSet",
    "ScheduleFormSet",
    "row_formsets",
    "FormalCheckForm",
    "DeclareForm",
    "score_form",
    "DecisionForm",
    "SignForm",
    "InvestmentForm",
    "InvestmentExitForm",
    "report_form",
    "ReportDecideForm",
    "AttachmentForm",
]

MONEY = {"max_digits": 16, "decimal_places": 2, "min_value": Decimal(0)}


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TOPIC_SEPARATORS = ("｜", "|", "：", ":")


class CallForm(forms.ModelForm):
    """A call (年度指南) as the bureau configures it: programme, dates, budget and topics (one
    per line, the expert fields after a separator)."""

    topics = forms.CharField(
        label=_("Topics"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One topic per line; the experts' fields after a colon, e.g. 新材料：涂层 复合材料"
        ),
        max_length=4000,
        error_messages={"required": _("Give at least one topic.")},
    )

    class Meta:
        model = Call
        fields = [
            "programme_type",
            "year",
            "title",
            "guide",
            "opens_at",
            "closes_at",
            "total_budget_yuan",
            "awards_expected",
        ]
        labels = {
            "programme_type": _("Programme"),
            "year": _("Year"),
            "title": _("Title"),
            "guide": _("Guide"),
            "opens_at": _("Applications open at"),
            "closes_at": _("Applications close at"),
            "total_budget_yuan": _("Total budget (yuan)"),
            "awards_expected": _("Awards expected"),
        }
        widgets = {
            "opens_at": DATETIME,
            "closes_at": DATETIME,
            "guide": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme_type"].queryset = ProgrammeType.objects.order_by("code")
        self.fields["programme_type"].empty_label = None
        self.fields["year"].validators.append(validate_year)
        for name in ("opens_at", "closes_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        if self.instance.pk and not self.is_bound:
            self.initial["topics"] = "\n".join(
                f"{t.name}：{t.fields}" if t.fields else t.name for t in self.instance.topics.all()
            )

    def clean_topics(self) -> list[tuple[str, str]]:
        rows: list[tuple[str, str]] = []
        for n, line in enumerate(self.cleaned_data["topics"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            name, fields = line, ""
            for sep in TOPIC_SEPARATORS:
                if sep in line:
                    name, _sep, fields = line.partition(sep)
                    break
            name, fields = name.strip(), fields.strip()
            if not name or len(name) > 128 or len(fields) > 255:
                raise forms.ValidationError(
                    _("Line %(n)s: a topic name of at most 128 characters is needed.") % {"n": n}
                )
            rows.append((name, fields))
        if not rows:
            raise forms.ValidationError(_("Give at least one topic."))
        if len({name for name, _f in rows}) < len(rows):
            raise forms.ValidationError(_("Each topic may appear only once."))
        return rows


class ApplicationForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    topic = forms.ModelChoiceField(queryset=None, label=_("Topic"), required=False)
    title = forms.CharField(label=_("Project title"), max_length=128, required=False)
    owner_name = forms.CharField(label=_("Project leader"), max_length=64, required=False)
    summary = forms.CharField(
        label=pgettext_lazy("programmes", "Summary"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    objectives = forms.CharField(
        label=_("Objectives and content"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    total_yuan = forms.DecimalField(label=_("Total budget (yuan)"), required=False, **MONEY)

    def __init__(self, *args: Any, topics: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics


class _Row(forms.Form):
    def has_content(self) -> bool:
        return any(v not in (None, "") for v in self.cleaned_data.values())


class KpiForm(_Row):
    indicator = forms.CharField(label=_("Indicator"), max_length=64, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=16, required=False)
    baseline = forms.DecimalField(
        label=_("Baseline"), required=False, max_digits=16, decimal_places=2
    )
    target = forms.DecimalField(label=_("Target"), required=False, max_digits=16, decimal_places=2)
    evidence = forms.CharField(label=_("Evidence"), max_length=64, required=False)
    measure = forms.ChoiceField(
        label=_("Registry measure"), required=False, choices=[("", "—"), *MEASURES.items()]
    )


class BudgetForm(_Row):
    category = forms.CharField(label=_("Category"), max_length=32, required=False)
    own = forms.DecimalField(label=_("Own funds (yuan)"), required=False, **MONEY)
    requested = forms.DecimalField(label=_("Requested (yuan)"), required=False, **MONEY)


class PartnerForm(_Row):
    """A partner named from the registry (search as you type over the expert registry's
    organisations and the enterprise registry) or, without a match, in free text."""

    name = forms.CharField(
        label=_("Partner (type to search the registry)"),
        max_length=64,
        required=False,
        widget=forms.TextInput(
            attrs={
                "list": "kc-partner-options",
                "autocomplete": "off",
                "hx-get": reverse_lazy("programmes:partner_search"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#kc-partner-options",
                "hx-swap": "innerHTML",
                "data-testid": "partner-name",
            }
        ),
    )
    role = forms.CharField(label=_("Role"), max_length=32, required=False)


class TeamForm(_Row):
    name = forms.CharField(label=_("Name"), max_length=32, required=False)
    role = forms.CharField(label=_("Role"), max_length=32, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=64, required=False)


class ScheduleForm(_Row):
    period = forms.CharField(
        label=pgettext_lazy("programmes", "Period"), max_length=32, required=False
    )
    task = forms.CharField(label=_("Tasks"), max_length=128, required=False)


KpiFormSet = formset_factory(KpiForm, extra=2, max_num=20)
BudgetFormSet = formset_factory(BudgetForm, extra=1, max_num=20)
PartnerFormSet = formset_factory(PartnerForm, extra=1, max_num=10)
TeamFormSet = formset_factory(TeamForm, extra=2, max_num=30)
ScheduleFormSet = formset_factory(ScheduleForm, extra=1, max_num=12)
ROWS = {
    "kpis": KpiFormSet,
    "budget": BudgetFormSet,
    "partners": PartnerFormSet,
    "team": TeamFormSet,
    "schedule": ScheduleFormSet,
}


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def row_formsets(data: Any, initial: dict[str, list[dict]]) -> dict[str, Any]:
    """One formset per row list, bound to `data` (POST) or filled from the application."""
    return {
        key: cls(data, prefix=key)
        if data is not None
        else cls(initial=initial.get(key) or [], prefix=key)
        for key, cls in ROWS.items()
    }


def rows_cleaned(formsets: dict[str, Any]) -> dict[str, list[dict]]:
    """The non-empty rows of valid formsets, JSON-ready."""
    return {
        key: [
            {k: _plain(v) for k, v in f.cleaned_data.items() if v not in (None, "")}
            for f in fs.forms
            if f.cleaned_data and f.has_content()
        ]
        for key, fs in formsets.items()
    }


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Attachment"))


class FormalCheckForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("pass", _("Pass")),
            ("return", _("Return with comments")),
            ("reject", pgettext_lazy("programmes", "Reject")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comments or reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class DeclareForm(forms.Form):
    conflict = forms.TypedChoiceField(
        label=_("Declaration"),
        coerce=lambda v: v == "yes",
        choices=[
            ("no", _("I have no conflict of interest with this application")),
            ("yes", _("I have a conflict of interest and recuse myself")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Relationship (when recusing)"), required=False, max_length=255)


def score_form(
    criteria: list[dict[str, Any]], data: Any = None, initial: dict | None = None
) -> forms.Form:
    """A score sheet form with one field per criterion (0 … max points)."""
    fields: dict[str, forms.Field] = {
        c["key"]: forms.DecimalField(
            label=f"{c['label_zh']}（权重{c['weight']}%，0–{c['max']}分）",
            min_value=Decimal(0),
            max_value=Decimal(str(c["max"])),
            max_digits=5,
            decimal_places=1,
        )
        for c in criteria
    }
    fields["comments"] = forms.CharField(
        label=_("Comments"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    cls = type("ScoreForm", (forms.Form,), fields)
    return cls(data, initial=initial or {})


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=DecisionKind.choices)
    amount_yuan = forms.DecimalField(label=_("Funding awarded (yuan)"), required=False, **MONEY)
    invest = forms.BooleanField(label=_("As an investment (拨改投)"), required=False)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 2}))


class SignForm(forms.Form):
    signed_copy = forms.FileField(label=_("Signed contract (PDF or image)"))
    starts_on = forms.DateField(
        label=_("Project start"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class InvestmentForm(forms.Form):
    amount_yuan = forms.DecimalField(label=_("Amount invested (yuan)"), **MONEY)
    pre_money_yuan = forms.DecimalField(label=_("Pre-money valuation (yuan)"), **MONEY)
    invested_on = forms.DateField(
        label=_("Invested on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    lockup_months = forms.IntegerField(
        label=_("Lock-up (months)"), required=False, min_value=0, max_value=240
    )
    co_investors = forms.CharField(
        label=_("Co-investors (one per line: name, amount in yuan)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    milestones = forms.CharField(
        label=_("Milestone tranches (one per line: milestone, amount in yuan)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    exit_kind = forms.ChoiceField(
        label=_("Exit"),
        choices=[
            ("buyback", _("Buy-back by the founders")),
            ("transfer", _("Transfer")),
            ("ipo", _("IPO")),
        ],
    )
    buyback_rate_pct = forms.DecimalField(
        label=_("Buy-back: cost plus % a year"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
    )

    def clean_co_investors(self) -> list[dict[str, str]]:
        return [
            {"name": name, "amount_yuan": amount}
            for name, amount in _named_amounts(self.cleaned_data.get("co_investors"))
        ]

    def clean_milestones(self) -> list[dict[str, str]]:
        return [
            {"label": label, "amount_yuan": amount}
            for label, amount in _named_amounts(self.cleaned_data.get("milestones"))
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        amount = data.get("amount_yuan")
        milestones = data.get("milestones") or []
        if amount is not None and sum(Decimal(m["amount_yuan"]) for m in milestones) > amount:
            self.add_error(
                "milestones", _("The milestone tranches add up to more than the amount invested.")
            )
        return data


def _named_amounts(text: str | None) -> list[tuple[str, str]]:
    """Lines of "name, amount in yuan" (a Chinese comma is accepted); a bad line is refused
    with its number."""
    rows = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        name, _sep, amount = line.replace("，", ",").partition(",")
        try:
            value = Decimal(amount.strip() or "0")
        except ArithmeticError:
            raise forms.ValidationError(
                _("Line %(n)s: the amount is not a number.") % {"n": n}
            ) from None
        if not name.strip() or not value.is_finite() or value < 0:
            raise forms.ValidationError(
                _("Line %(n)s: give a name and an amount of zero or more.") % {"n": n}
            )
        rows.append((name.strip(), str(value)))
    return rows


class InvestmentExitForm(forms.Form):
    exited_on = forms.DateField(
        label=_("Exited on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    proceeds_yuan = forms.DecimalField(label=_("Exit proceeds (yuan)"), **MONEY)


def report_form(kpis: list[dict[str, Any]], data: Any = None, files: Any = None) -> forms.Form:
    """The progress report: the reported value of each contracted KPI, the narrative, evidence."""
    fields: dict[str, forms.Field] = {
        f"kpi_{i}": forms.DecimalField(
            label=f"{k.get('indicator', '')}（{k.get('unit', '')}，目标{k.get('target', '')}）",
            required=False,
            max_digits=16,
            decimal_places=2,
        )
        for i, k in enumerate(kpis)
    }
    fields["narrative"] = forms.CharField(
        label=pgettext_lazy("programmes", "Progress"), widget=forms.Textarea(attrs={"rows": 3})
    )
    fields["evidence"] = forms.FileField(label=_("Evidence"), required=False)
    return type("ReportForm", (forms.Form,), fields)(data, files)


class ReportDecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Conclusion"),
        choices=[(c, label) for c, label in ReportOutcome.choices if c != ReportOutcome.PENDING],
    )
    reasons = forms.CharField(label=_("Panel conclusion"), widget=forms.Textarea(attrs={"rows": 2}))
