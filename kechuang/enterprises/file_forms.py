"""Forms of the enterprise file: a contact person, a tag (docs/enterprise-file.md)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .file_models import EnterpriseContact

__all__ = ["ContactForm", "TagForm", "SearchForm"]


class ContactForm(forms.ModelForm):
    class Meta:
        model = EnterpriseContact
        fields = ["name", "role", "position", "phone", "email"]
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel", "placeholder": "13812345678"}),
            "email": forms.EmailInput(attrs={"placeholder": "name@example.com"}),
        }


class TagForm(forms.Form):
    name = forms.CharField(label=_("Tag"), max_length=32)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=64, required=False)
