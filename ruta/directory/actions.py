"""State changes of the directory (administrators' bulk actions)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import QuerySet

from ruta.directory.models import Service
from ruta.lib.codes import Confidence


@transaction.atomic
def mark_verified(services: QuerySet[Service], on: date) -> int:
    """Record that someone checked these services with the institution on ``on``.

    Saved one by one so each change lands in the services' history.
    """
    count = 0
    for service in services.select_for_update(of=("self",)):
        service.confidence = Confidence.VERIFIED
        service.verified_on = on
        service.save(update_fields=["confidence", "verified_on", "updated_at"])
        count += 1
    return count
