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


# --- Before registering: is this person already here? -------------------------------------------

SIMILAR_BLOCK = 5000  # people of the block read (hashes only, nothing decrypted)
SIMILAR_LIMIT = 8
MIN_SHARED_PARTS = 2  # words of the name that must match (in any order, by spelling, sound or letters)


def similar_people(programme: Programme, *, name: str, birth_year: int, district_id: str, school: str = "",
                   today: dt.date, by_name: bool = True) -> list[Found]:
    """People of the programme who may be the one about to be registered: born within a year of
    ``birth_year``, living in the same district or attending the same school, whose name shares at
    least two parts with ``name`` (``ruta.lib.names``: typos, accents, swapped or missing surnames).
    Compares keyed hashes only; a name of one word finds nobody (too common to mean anything)."""
    from django.db.models import Q

    from ruta.lib.names import shared_parts
    from ruta.program.models import name_parts_of

    query = name_parts_of(name).split()
    if len(query) < 3 * MIN_SHARED_PARTS:
        return []
    place = Q(district_id=district_id)
    if school.strip():
        place |= Q(organisation__iexact=school.strip())
    block = (Participant.objects.filter(programme=programme, merged_into__isnull=True,
                                        birth_date__gte=dt.date(birth_year - 1, 1, 1),
                                        birth_date__lte=dt.date(birth_year + 1, 12, 31))
             .filter(place, name_parts__gt="").order_by("-pk").values_list("pk", "name_parts")[:SIMILAR_BLOCK])
    scored = [(shared_parts(query, (parts or "").split()), pk) for pk, parts in block]
    ids = [pk for score, pk in sorted(scored, reverse=True) if score >= MIN_SHARED_PARTS][:SIMILAR_LIMIT]
    people = Participant.objects.filter(pk__in=ids)
    return sorted((_found(p, today, by_name) for p in people), key=lambda f: ids.index(f.pk))
