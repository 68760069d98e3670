"""Input parsing of the indicator pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.core.forms import StyledFormMixin
from kechuang.core.validators import validate_single_line


class ValuesImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Only check, write nothing"), required=False, initial=True)


def _choices(names):
    from .index import STEP_LABELS

    return [(n, STEP_LABELS[n]) for n in names]


class MethodologyForm(StyledFormMixin, forms.Form):
    """The steps of a set's index (docs/indicators.md#methodology), one field per setting."""

    denominate = forms.BooleanField(label=_("Denominate (divide by the denominator)"),
                                    required=False)  # fmt: skip
    impute = forms.ChoiceField(label=_("Impute missing values"), choices=())
    min_availability = forms.FloatField(
        label=_("Screen: least share of values present (0–1)"), min_value=0, max_value=1
    )
    treat = forms.ChoiceField(label=_("Treat outliers"), choices=())
    winmax = forms.IntegerField(label=_("Most points winsorised"), min_value=0, max_value=50)
    skew = forms.FloatField(label=_("Skewness threshold"), min_value=0)
    kurtosis = forms.FloatField(label=_("Kurtosis threshold"))
    normalise = forms.ChoiceField(label=_("Normalise"), choices=())
    low = forms.FloatField(label=_("Min–max: lower end"))
    high = forms.FloatField(label=_("Min–max: upper end"))
    ddof = forms.TypedChoiceField(
        label=_("Z-score: standard deviation"), coerce=int,
        choices=[(1, _("sample (n − 1)")), (0, _("population (n)"))],
    )  # fmt: skip
    scale = forms.FloatField(label=_("Percentile rank / target: multiplier"), min_value=0.0001)
    across_years = forms.BooleanField(
        label=_("Normalise all years together (comparable between years)"), required=False
    )
    aggregate = forms.CharField(
        label=_("Aggregation per level, bottom-up (comma-separated)"), max_length=200,
        help_text=_("arithmetic, geometric or harmonic; one value applies to every level."),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .logic.methodology import IMPUTATIONS, NORMALISATIONS, TREATMENTS

        self.fields["impute"].choices = _choices(IMPUTATIONS)
        self.fields["treat"].choices = _choices(TREATMENTS)
        self.fields["normalise"].choices = _choices(NORMALISATIONS)

    @classmethod
    def initial_for(cls, method) -> dict:
        n, t = method.normalise, method.treat
        return {
            "denominate": method.denominate, "impute": method.impute.method,
            "min_availability": method.screen.min_availability, "treat": t.method,
            "winmax": t.winmax, "skew": t.skew, "kurtosis": t.kurtosis, "normalise": n.method,
            "low": n.low, "high": n.high, "ddof": n.ddof, "scale": n.scale,
            "across_years": n.across_years, "aggregate": ", ".join(method.aggregate),
        }  # fmt: skip

    def methodology(self) -> dict:
        d = self.cleaned_data
        impute = {"method": d["impute"]}
        if d["impute"] == "group_mean":
            impute["group"] = "city"
        return {
            "denominate": d["denominate"], "impute": impute,
            "screen": {"min_availability": d["min_availability"]},
            "treat": {"method": d["treat"], "winmax": d["winmax"], "skew": d["skew"],
                      "kurtosis": d["kurtosis"]},
            "normalise": {"method": d["normalise"], "low": d["low"], "high": d["high"],
                          "ddof": d["ddof"], "scale": d["scale"],
                          "across_years": d["across_years"]},
            "aggregate": {"levels": [a.strip() for a in d["aggregate"].split(",") if a.strip()]},
        }  # fmt: skip

    def add_methodology_error(self, message: str) -> None:
        """Put a ValueError of the methodology check on the field it concerns, in words."""
        known = [
            ("aggregate.levels: geometric", "aggregate",
             _("Geometric and harmonic means need positive scores: use min–max with a lower "
               "end above 0, or a target normalisation.")),
            ("aggregate", "aggregate",
             _("Each level's aggregation must be arithmetic, geometric or harmonic.")),
            ("normalise.high", "high", _("The upper end must be above the lower end.")),
            ("normalise: no target", "normalise",
             _("Every indicator of the set needs a target value for this normalisation.")),
            ("normalise: a share", "normalise", _("Targets must be positive for this normalisation.")),
        ]  # fmt: skip
        for prefix, field, text in known:
            if message.startswith(prefix):
                self.add_error(field, text)
                return
        self.add_error(None, _("These settings cannot be combined."))


# ------------------------------------------------------------------ tree editor


class _TreeForm(StyledFormMixin, forms.Form):
    """A tree editor form: `parents` are the choices of the parent field (code, label)."""

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        if "parent" in self.fields:
            self.fields["parent"].choices = list(parents)

    def add_errors(self, errors: dict[str, list[str]]) -> None:
        """A tree check's messages, each on its field (or on the form)."""
        for field, messages in errors.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class NodeForm(_TreeForm):
    """A pillar or sub-index: its code (when added), name, parent and weight."""

    code = forms.SlugField(label=_("Code"), max_length=64,
                           help_text=_("Letters, digits, hyphens; unique in the set."))  # fmt: skip
    name_zh = forms.CharField(label=_("Name"), max_length=128, validators=[validate_single_line])
    parent = forms.ChoiceField(label=_("Under"), choices=())
    weight = forms.FloatField(label=_("Weight among its siblings"), min_value=0, max_value=1e6)
    adopt = forms.BooleanField(
        label=_("Put everything now under that parent below the new node (insert a level)"),
        required=False,
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"], self.fields["adopt"]


class MemberForm(_TreeForm):
    """An indicator of the set: which one (when added), its parent and weight."""

    indicator = forms.ChoiceField(label=_("Indicator"), choices=())
    parent = forms.ChoiceField(label=_("Under"), choices=())
    weight = forms.DecimalField(label=_("Weight among its siblings"), min_value=0,
                                max_digits=8, decimal_places=4)  # fmt: skip

    def __init__(self, *args, indicators=None, **kwargs):
        super().__init__(*args, **kwargs)
        if indicators is None:
            del self.fields["indicator"]
        else:
            self.fields["indicator"].choices = list(indicators)


class LevelsForm(_TreeForm):
    """The aggregation of each level of the tree: one choice per level (rows of `level_rows`)."""

    def __init__(self, *args, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        from .logic.methodology import AGGREGATIONS

        for row in levels:
            self.fields[row["field"]] = forms.ChoiceField(
                label=row["label"], choices=_choices(AGGREGATIONS), initial=row["method"],
                widget=forms.Select(attrs={"class": "form-select"}),
            )  # fmt: skip

    def levels(self) -> list[str]:
        return [self.cleaned_data[name] for name in self.fields]
