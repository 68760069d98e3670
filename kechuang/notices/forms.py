"""Forms of public notices: the public objection form (honeypot + signed fill-time token) and
the staff handling form."""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from kechuang.core.forms import style_widgets

from .attachments import EVIDENCE_EXTENSIONS, check_evidence
from .choices import ObjectionAction
from .models import Notice
from .services import TRANSITIONS

__all__ = ["ObjectionForm", "HandleForm", "FinaliseForm", "fill_token"]

TOKEN_SALT = "kechuang.notices.objection"
TOKEN_MAX_AGE = 24 * 3600


def min_fill_seconds() -> int:
    return int(getattr(settings, "KECHUANG_OBJECTION_MIN_FILL_SECONDS", 5))


def fill_token(notice_pk: int, now: float | None = None) -> str:
    """A signed token with the notice and the time the form was shown."""
    return signing.dumps(
        {"n": notice_pk, "t": int(now if now is not None else time.time())}, salt=TOKEN_SALT
    )


class ObjectionForm(forms.Form):
    """A written objection: who objects (contact kept private), against which item, the reasons
    and facts, optional evidence. `website` is a honeypot people never see; `token` records when
    the form was shown (a form sent back faster than a person can type is refused)."""

    item = forms.TypedChoiceField(label=_("project objected to"), coerce=int)
    name = forms.CharField(label=_("your name"), max_length=64)
    organisation = forms.CharField(label=_("your organisation"), max_length=128, required=False)
    contact = forms.CharField(
        label=_("telephone or e-mail"),
        max_length=128,
        help_text=_("Only the bureau sees it, to reply to you; it is never published."),
    )
    reasons = forms.CharField(
        label=_("reasons and facts"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("State the reasons and the facts that support them."),
    )
    evidence = forms.FileField(
        label=_("evidence (optional)"),
        required=False,
        help_text=_("PDF, JPEG or PNG"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{e}" for e in EVIDENCE_EXTENSIONS)}
        ),
    )
    website = forms.CharField(
        required=False,
        label=_("leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, notice: Notice, now: float | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.notice = notice
        self.now = now
        self.fields["item"].choices = [("", "—")] + [
            (i.pk, i.label) for i in notice.items.order_by("position", "pk")
        ]
        if not self.is_bound:
            self.initial["token"] = fill_token(notice.pk, now)
        style_widgets(self)

    def clean_evidence(self):
        file = self.cleaned_data.get("evidence")
        if file:
            check_evidence(file)
        return file

    def clean(self):
        data = super().clean()
        refused = forms.ValidationError(
            _("The form could not be accepted. Reload the page and fill it in again."),
            code="spam",
        )
        if data.get("website"):
            raise refused
        try:
            token = signing.loads(
                self.data.get("token", ""), salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE
            )
        except (signing.BadSignature, TypeError, ValueError) as exc:
            raise refused from exc
        now = self.now if self.now is not None else time.time()
        if not isinstance(token, dict) or token.get("n") != self.notice.pk:
            raise refused
        if now - float(token.get("t", now)) < min_fill_seconds():
            raise refused
        return data


class HandleForm(forms.Form):
    action = forms.ChoiceField(label=_("step"))
    reply = forms.CharField(
        label=_("reply to the objector"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    note = forms.CharField(
        label=_("internal note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, status: str, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS.get(status, {})
        self.fields["action"].choices = [
            (value, label) for value, label in ObjectionAction.choices if value in allowed
        ]
        style_widgets(self)


class FinaliseForm(forms.Form):
    final_body = forms.CharField(
        label=_("note on the final list"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)
