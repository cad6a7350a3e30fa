"""Possible duplicate participants, and merging two records of one person.

Finding them. Names are encrypted, so the database cannot compare them. The *blocking
keys* (same programme, sex, birth date and district; index ``participant_block_idx``) pick
small candidate sets in SQL; only inside a set are names decrypted and compared. A pair is
suggested when both have a name and the names are similar: equal once accents, case and
word order are ignored, one contained in the other (a missing second surname), or close by
edit ratio (``difflib``; typos like "Quipse").

Deciding. A coordinator or M&E officer looks at each pair and either merges it or says the
two are different people. The latter is an event in the audit chain
(``program.participant.not_duplicate``), which keeps the pair out of later suggestions and
says who decided.

Merging (:func:`merge_participants`) keeps one record and retires the other: attendance
and test results move to the kept record (where both attended the same activity or took
the same test phase, the kept record's row stays and the other's is removed, with its
history), the retired record gets ``merged_into`` and stays, with its history, so imports
of old files still land on the right person. Who merged is in the record's history and in
the audit chain.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.audit.actions import record_access
from ruta.audit.models import AccessEvent
from ruta.program.models import AssessmentResult, Attendance, Participant, Programme, normalise_name

SIMILARITY = 0.85
NOT_DUPLICATE = "program.participant.not_duplicate"
MERGED = "program.participant.merge"
FIELDS = ("id", "code", "sex", "birth_date", "birth_date_estimated", "district_id", "district__name", "group",
          "organisation", "registered_on", "sessions_attended", "name")


@dataclass(frozen=True)
class Suggestion:
    first: dict[str, Any]
    second: dict[str, Any]
    similarity: float

    @property
    def percent(self) -> int:
        return round(self.similarity * 100)


class MergeRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def name_similarity(a: str, b: str) -> float:
    """1.0 for the same name written differently; 0 when either is missing."""
    x, y = normalise_name(a), normalise_name(b)
    if not x or not y:
        return 0.0
    if x == y:
        return 1.0
    tx, ty = set(x.split()), set(y.split())
    if tx == ty:
        return 0.99
    if len(tx & ty) >= 2 and (tx <= ty or ty <= tx):
        return 0.95
    return max(difflib.SequenceMatcher(None, x, y).ratio(),
               difflib.SequenceMatcher(None, " ".join(sorted(tx)), " ".join(sorted(ty))).ratio())


def dismissed_pairs(programme: Programme) -> set[frozenset[int]]:
    details = AccessEvent.objects.filter(
        action=NOT_DUPLICATE, object_type="program.programme", object_id=str(programme.pk),
    ).values_list("detail", flat=True)
    return {frozenset(d.get("participants", [])) for d in details}


def _candidates(programme: Programme) -> Iterator[dict[str, Any]]:
    live = Participant.objects.filter(programme=programme, merged_into__isnull=True)
    twin = live.filter(sex=OuterRef("sex"), birth_date=OuterRef("birth_date"),
                       district_id=OuterRef("district_id")).exclude(pk=OuterRef("pk"))
    rows = (live.filter(Exists(twin)).exclude(name_hash="")
            .order_by("sex", "birth_date", "district_id", "id").values(*FIELDS))
    return rows.iterator(chunk_size=2000)


def suggestions(programme: Programme, *, limit: int = 50) -> list[Suggestion]:
    """The first ``limit`` suggested pairs, most similar first within each block."""
    dismissed = dismissed_pairs(programme)
    found: list[Suggestion] = []
    for _key, block in itertools.groupby(_candidates(programme),
                                         key=lambda r: (r["sex"], r["birth_date"], r["district_id"])):
        people = list(block)
        pairs = []
        for a, b in itertools.combinations(people, 2):
            if frozenset((a["id"], b["id"])) in dismissed:
                continue
            score = name_similarity(a["name"], b["name"])
            if score >= SIMILARITY:
                pairs.append(Suggestion(a, b, score))
        found.extend(sorted(pairs, key=lambda s: -s.similarity))
        if len(found) >= limit:
            break
    return found[:limit]


def _live(programme: Programme, pk: int) -> Participant:
    person = (Participant.objects.select_for_update()
              .filter(programme=programme, pk=pk, merged_into__isnull=True).first())
    if person is None:
        raise MergeRefused(_("One of the two participants no longer exists or was merged already."))
    return person


def merge_participants(programme: Programme, keep_id: int, retire_id: int, *, user: User) -> dict[str, int]:
    """Move everything of ``retire_id`` to ``keep_id`` and retire it; atomic and audited."""
    if keep_id == retire_id:
        raise MergeRefused(_("A participant cannot be merged with itself."))
    with transaction.atomic():
        keep = _live(programme, keep_id)
        retire = _live(programme, retire_id)
        if keep.sex != retire.sex and "unknown" not in (keep.sex, retire.sex):
            raise MergeRefused(_("The two records have different sexes; correct one of them before merging."))
        shared = Attendance.objects.filter(participant=keep).values("activity_id")
        dropped = Attendance.objects.filter(participant=retire, activity_id__in=shared).delete()[0]
        moved = Attendance.objects.filter(participant=retire).update(participant=keep)
        kept_results = set(AssessmentResult.objects.filter(participant=keep).values_list("instrument_code", "phase"))
        results_moved = results_dropped = 0
        for result in AssessmentResult.objects.filter(participant=retire).select_for_update():
            result._change_reason = f"merge into participant {keep.pk}"  # type: ignore[attr-defined]
            if (result.instrument_code, result.phase) in kept_results:
                result.delete()
                results_dropped += 1
            else:
                result.participant = keep
                result.save(update_fields=["participant"])
                results_moved += 1
        changed: list[str] = []
        if not keep.name and retire.name:
            keep.name, changed = retire.name, [*changed, "name"]
        if keep.birth_date_estimated and not retire.birth_date_estimated:
            keep.birth_date, keep.birth_date_estimated = retire.birth_date, False
            changed += ["birth_date", "birth_date_estimated"]
        if changed:
            keep._history_user = user  # type: ignore[attr-defined]
            keep._change_reason = f"merge of participant {retire.pk}"  # type: ignore[attr-defined]
            keep.save(update_fields=changed)
        retire.merged_into = keep
        retire._history_user = user  # type: ignore[attr-defined]
        retire._change_reason = f"merged into participant {keep.pk}"  # type: ignore[attr-defined]
        retire.save(update_fields=["merged_into"])
        summary = {"kept": keep.pk, "retired": retire.pk, "attendance_moved": moved, "attendance_dropped": dropped,
                   "results_moved": results_moved, "results_dropped": results_dropped}
        record_access(user, MERGED, retire, detail=summary)
    return summary


def mark_not_duplicate(programme: Programme, first_id: int, second_id: int, *, user: User) -> None:
    found = Participant.objects.filter(programme=programme, pk__in=[first_id, second_id]).count()
    if first_id == second_id or found != 2:
        raise MergeRefused(_("One of the two participants no longer exists or was merged already."))
    record_access(user, NOT_DUPLICATE, programme, detail={"participants": sorted([first_id, second_id])})
