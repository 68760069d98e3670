"""The edit form of a report paragraph: the wording, with its placeholders checked against the
figures the report can compute."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.core.forms import StyledFormMixin

from .paragraphs import PLACEHOLDERS, placeholder_problems

__all__ = ["ParagraphForm", "placeholder_choices_text"]

MAX_LENGTH = 4000


def placeholder_choices_text() -> str:
    """The available placeholders as a reader sees them: {name}（label）, separated by 、."""
    return "、".join(f"{{{p.name}}}（{p.label}）" for p in PLACEHOLDERS.values())


class ParagraphForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Wording"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "Computed figures are written as placeholders in braces, e.g. {rd_total_yi}. "
            "A clause whose figure is not available for the year is left out of the report."
        ),
        error_messages={
            "required": gettext_lazy("Enter the wording of the paragraph."),
            "max_length": gettext_lazy(
                "The wording can have at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        unknown, stray = placeholder_problems(text)
        errors = []
        if unknown:
            errors.append(
                _("Unknown placeholder %(names)s. Available placeholders: %(available)s.")
                % {
                    "names": "、".join(f"{{{n}}}" for n in unknown),
                    "available": placeholder_choices_text(),
                }
            )
        if stray:
            errors.append(
                _(
                    "Braces are only used around a placeholder name, e.g. {rd_total_yi}; "
                    "remove the other braces."
                )
            )
        if errors:
            raise forms.ValidationError(errors)
        return text
