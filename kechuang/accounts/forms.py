"""Forms of the account pages."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from kechuang.core.forms import StyledFormMixin

__all__ = ["LoginForm", "OtpTokenForm", "PasswordChangeStyledForm", "TokenCreateForm"]


class LoginForm(StyledFormMixin, AuthenticationForm):
    pass


class PasswordChangeStyledForm(StyledFormMixin, PasswordChangeForm):
    pass


class OtpTokenForm(StyledFormMixin, forms.Form):
    token = forms.RegexField(
        label=_("Six-digit code from the authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": _("Enter the six digits shown by the app.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip()


class TokenCreateForm(StyledFormMixin, forms.Form):
    DAY_CHOICES = [(30, _("30 days")), (90, _("90 days")), (180, _("180 days"))]

    name = forms.CharField(
        label=_("Name"),
        max_length=64,
        help_text=_("What the token is for, e.g. the name of the system that uses it."),
    )
    days = forms.TypedChoiceField(label=_("Valid for"), choices=DAY_CHOICES, coerce=int, initial=90)
