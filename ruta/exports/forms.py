from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class PurposeField(forms.CharField):
    """Why the records leave Ruta; written into the file and shown to supervisors."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Purpose of this export"))
        kwargs.setdefault("help_text", _("For example: quarterly report to the donor. It is written into the file "
                                         "and shown to your supervisors."))
        super().__init__(min_length=10, max_length=300, **kwargs)
