"""Four eyes: a request is decided once, and never by the person who made it.

The one rule behind every "someone asks, another person approves" in Ruta that has a request
row with ``requested_by``, ``decision`` (``"pending"`` while it waits), ``decided_by`` and
``decided_at``: erasing a survivor's data (``ruta.cases``) and erasing a participant
(``ruta.retention``). Call it inside the action's transaction.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

PENDING = "pending"


class FourEyesError(Exception):
    """The request may not be decided by this person, or was decided already; the message is
    for the user."""


def decide_once(row: Any, actor: Any, *, approve: bool, approved: str, rejected: str, same_person: str,
                already: str) -> str:
    """Record ``actor``'s decision on the waiting request ``row``; returns the decision.

    Raises :class:`FourEyesError` with ``same_person`` when ``actor`` made the request, and
    with ``already`` when someone decided it first (the update is conditional, so two people
    deciding at once cannot both win)."""
    if row.requested_by_id is not None and row.requested_by_id == getattr(actor, "pk", None):
        raise FourEyesError(same_person)
    decision = approved if approve else rejected
    n = type(row).objects.filter(pk=row.pk, decision=PENDING).update(
        decision=decision, decided_by=actor, decided_at=timezone.now())
    if not n:
        raise FourEyesError(already)
    row.decision, row.decided_by = decision, actor
    return decision
