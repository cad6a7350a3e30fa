from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ErasureRequestForm(forms.Form):
    """The participant's code; the programme (one of the user's organisation's) is resolved by the view."""

    code = forms.CharField(label=_("Participant code"), max_length=32)

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip()
