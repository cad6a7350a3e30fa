"""Forms of donor reports."""

from __future__ import annotations

from django import forms

from ruta.reports.actions import NARRATIVE_FIELDS
from ruta.reports.models import DonorNarrative


class NarrativeForm(forms.ModelForm):
    """The coordinator's narrative for one period; saved through ``actions.save_narrative``."""

    class Meta:
        model = DonorNarrative
        fields = list(NARRATIVE_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in NARRATIVE_FIELDS}
