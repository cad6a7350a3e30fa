from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from ruta.audit.models import GENESIS, AccessEvent, mac_message
from ruta.lib.keys import audit_ring

# Any constant works: it only names the lock that serialises appends on PostgreSQL.
_PG_CHAIN_LOCK = 0x52555441


def record_access(actor: Any, action: str, obj: Any = None, *, object_type: str = "", object_id: Any = "",
                  detail: dict[str, Any] | None = None) -> AccessEvent:
    """Append one event to the chain. Call it inside the request that showed the data."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_CHAIN_LOCK])
        # On SQLite, Ruta's transactions are IMMEDIATE: the write lock is already ours.
        last = AccessEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event = AccessEvent(
            at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_username=getattr(actor, "username", "") or "",
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            detail=detail or {},
            prev_hash=last or GENESIS,
        )
        event.hash = event.compute_hash()
        event.key_id, event.mac = audit_ring().sign(mac_message(event.hash))
        event.save()
    return event


def first_broken_link() -> tuple[int, str] | None:
    """The id of the first event that does not follow from its predecessor or whose
    signature fails, and why."""
    ring = audit_ring()
    prev = GENESIS
    previous_id = 0
    for event in AccessEvent.objects.order_by("id").iterator(chunk_size=5000):
        if event.prev_hash != prev:
            return event.id, f"event {event.id} does not follow event {previous_id}: an event was removed or altered"
        if event.compute_hash() != event.hash:
            return event.id, f"event {event.id} was altered after it was written"
        if not event.mac:
            return event.id, f"event {event.id} carries no signature: it was forged or stripped"
        try:
            signed = ring.verify(event.key_id, mac_message(event.hash), event.mac)
        except LookupError:
            return event.id, (f"event {event.id} is signed with audit key {event.key_id!r}, which is not in "
                              "RUTA_AUDIT_KEYS: restore that key (old audit keys stay in the ring)")
        if not signed:
            return event.id, f"event {event.id} has a signature that does not match: it was altered or forged"
        prev, previous_id = event.hash, event.id
    return None
