from __future__ import annotations

from django.db import transaction

from ruta.accounts.models import User
from ruta.program.models import Programme
from ruta.reports.donor import Period
from ruta.reports.models import DonorNarrative

NARRATIVE_FIELDS = ("summary", "achievements", "challenges", "next_steps")


def save_narrative(programme: Programme, period: Period, texts: dict[str, str], *, user: User) -> DonorNarrative:
    """Create or update the period's narrative; simple-history records who changed it."""
    with transaction.atomic():
        narrative, _created = DonorNarrative.objects.select_for_update().get_or_create(
            programme=programme, period_start=period.start, period_end=period.end)
        for name in NARRATIVE_FIELDS:
            setattr(narrative, name, texts.get(name, ""))
        narrative.updated_by = user
        narrative._history_user = user  # type: ignore[attr-defined]
        narrative.save()
    return narrative
