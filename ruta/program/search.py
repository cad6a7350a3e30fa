"""Finding a participant while recording attendance.

Names are encrypted, so the database cannot search them. A query matches (1) the start of
a participant code, (2) the exact normalised name anywhere in the programme (keyed hash),
and (3) a part of the name among the most recent participants of the activity's
district, decrypted here in memory. Queries travel in POST bodies, never in URLs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ruta.lib.fields import search_hash
from ruta.program.models import NAME_HASH_PURPOSE, Participant, Programme, age_on, normalise_name

RECENT_IN_DISTRICT = 3000
LIMIT = 12


@dataclass(frozen=True)
class Found:
    pk: int
    code: str
    name: str
    age: int
    group: str
    organisation: str


def _found(p: Participant, today: dt.date, by_name: bool) -> Found:
    return Found(p.pk, p.code, p.name if by_name else "", age_on(p.birth_date, today), p.get_group_display(),
                 p.organisation)


def find_participants(programme: Programme, query: str, *, district_id: str, exclude: set[int],
                      today: dt.date, by_name: bool = True) -> list[Found]:
    """Without ``by_name`` (a role that never sees names) only codes match, and no name is returned."""
    text = normalise_name(query)
    if len(text) < 2:
        return []
    base = Participant.objects.filter(programme=programme, merged_into__isnull=True).exclude(pk__in=exclude)
    found: dict[int, Participant] = {}
    for p in base.filter(code__istartswith=query.strip())[:LIMIT]:
        found[p.pk] = p
    if not by_name:
        return [_found(p, today, by_name) for p in sorted(found.values(), key=lambda p: p.code)]
    for p in base.filter(name_hash=search_hash(text, NAME_HASH_PURPOSE))[:LIMIT]:
        found[p.pk] = p
    if len(found) < LIMIT:
        recent = base.filter(district_id=district_id).exclude(name_hash="").order_by("-pk")[:RECENT_IN_DISTRICT]
        for p in recent:
            if text in normalise_name(p.name):
                found[p.pk] = p
                if len(found) >= LIMIT:
                    break
    return [_found(p, today, by_name) for p in sorted(found.values(), key=lambda p: (normalise_name(p.name), p.code))]
