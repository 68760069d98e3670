"""Forms of the enterprise portal: the yearly-figure submission (money in 万元, grouped, the
category sums checked: forms.WanFiguresMixin), its documents, the reviews and the colleagues'
invitations. Input parsing and field-level validation only; the services save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.core.forms import StyledFormMixin
from kechuang.core.validators import validate_plain_text, validate_single_line

from .choices import AttachmentKind
from .forms import FigureSubmissionForm

__all__ = [
    "PortalFigureForm",
    "AttachmentForm",
    "ReviewForm",
    "InvitationForm",
    "InvitationAcceptForm",
]


class PortalFigureForm(FigureSubmissionForm):
    """The enterprise's figures for one year; each field carries the values shown beside it
    (last year's, the official source's) as `hints` for the template."""

    def __init__(self, *args, hints: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.hints = hints or {}

    def sections(self):
        out = []
        for title, fields in super().sections():
            out.append((title, [(f, self.hints.get(f.name, {})) for f in fields]))
        return out


class AttachmentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=AttachmentKind.choices)
    file = forms.FileField(label=_("File"))


REVIEW_ACTIONS = ("town_pass", "town_return", "accept", "return")


class ReviewForm(StyledFormMixin, forms.Form):
    """One review step: pass/accept, or return with a reason; accepting values that differ
    from the official figures needs the confirmation box."""

    action = forms.ChoiceField(choices=[(a, a) for a in REVIEW_ACTIONS], widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for returning"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_plain_text],
    )
    confirm_official = forms.BooleanField(
        label=_("I confirm that the submitted values replace the differing official figures"),
        required=False,
    )


class InvitationForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Colleague's name"), max_length=64, validators=[validate_single_line]
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("The link is also sent here when the platform's mail is configured"),
    )


class InvitationAcceptForm(StyledFormMixin, forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(render_value=False)
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(render_value=False)
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned
