"""Possible duplicate participants, and merging two records of one person.

Finding them. Names are encrypted, so the database cannot compare them. The *blocking
keys* (same programme, sex, birth date and district; index ``participant_block_idx``) pick
candidate sets in SQL; only inside a set are names decrypted and compared. A pair is
suggested when both have a name and the names are similar: equal once accents, case and
word order are ignored, one contained in the other (a missing second surname), or close by
edit ratio (``difflib``; typos like "Quipse").

Bounded work. A set can be huge (5,000 people given the same estimated birth date in one
district), and comparing every pair of it would run for hours. So inside a set names are
sub-blocked by the first three letters of each word of the name; within a sub-block, sorted
by name, each name is compared with its next ``WINDOW`` neighbours only (the sorted-
neighbourhood method). Two names that share no word beginning are never compared: a typo in
the first letters of every word goes unnoticed. A request compares at most
``MAX_COMPARISONS`` pairs, reads at most ``MAX_ROWS`` people (plus the block it stops in)
and finds at most ``MAX_SUGGESTIONS`` (then says the list is
incomplete: merging or dismissing pairs lets the next ones come up); pages of ``PER_PAGE``.

Deciding. A coordinator looks at each pair and either merges it or says the
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
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.audit.actions import record_access
from ruta.audit.models import AccessEvent
from ruta.program import summaries
from ruta.program.models import AssessmentResult, Attendance, Participant, Programme, normalise_name

SIMILARITY = 0.85
WINDOW = 8  # neighbours compared in a sorted sub-block
MAX_COMPARISONS = 10_000  # name comparisons per request: a few tenths of a second on one core
ALPHABET = "abcdefghijklmnopqrstuvwxyz "
MAX_ROWS = 20_000  # people read (and names decrypted) per request
MAX_SUGGESTIONS = 500
PER_PAGE = 50
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
    return _similarity(_Name.of(a), _Name.of(b))


@dataclass(frozen=True)
class _Name:
    text: str  # normalised
    words: frozenset[str]

    @classmethod
    def of(cls, name: str) -> _Name:
        text = normalise_name(name)
        return cls(text, frozenset(text.split()))

    @cached_property
    def sorted_words(self) -> str:
        return " ".join(sorted(self.words))

    @cached_property
    def letters(self) -> tuple[int, ...]:
        """How often each of ALPHABET occurs; the last counts every other character."""
        counts = Counter(self.text)
        return (*(counts.pop(c, 0) for c in ALPHABET), counts.total())

    def keys(self) -> set[str]:
        return {w[:3] for w in self.words}


def _similarity(x: _Name, y: _Name, floor: float = 0.0) -> float:
    """:func:`name_similarity` on prepared names; 0.0 early when it cannot reach ``floor``."""
    if not x.text or not y.text:
        return 0.0
    if x.text == y.text:
        return 1.0
    if x.words == y.words:
        return 0.99
    if len(x.words & y.words) >= 2 and (x.words <= y.words or y.words <= x.words):
        return 0.95
    if floor:
        # Both ratios below compare the same letters: the letters in common bound them both
        # (difflib's quick_ratio, without building a matcher).
        size = len(x.text) + len(y.text)
        if 2 * min(len(x.text), len(y.text)) < floor * size or 2 * sum(map(min, x.letters, y.letters)) < floor * size:
            return 0.0
    return max(difflib.SequenceMatcher(None, x.text, y.text).ratio(),
               difflib.SequenceMatcher(None, x.sorted_words, y.sorted_words).ratio())


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


def _block_pairs(names: list[_Name]) -> Iterator[tuple[int, int]]:
    """Index pairs worth comparing inside one block, each once, in a fixed order."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, name in enumerate(names):
        for key in name.keys():
            groups[key].append(i)
    seen: set[tuple[int, int]] = set()
    for key in sorted(groups):
        members = sorted(groups[key], key=lambda i: (names[i].text, i))
        for pos, i in enumerate(members):
            for j in members[pos + 1:pos + 1 + WINDOW]:
                pair = (i, j) if i < j else (j, i)
                if pair not in seen:
                    seen.add(pair)
                    yield pair


@dataclass(frozen=True)
class Found:
    suggestions: list[Suggestion]
    more: bool  # there are pairs beyond these
    complete: bool  # False when MAX_COMPARISONS stopped the search: more pairs may exist


def find(programme: Programme, *, wanted: int = PER_PAGE) -> Found:
    """The first ``wanted`` suggested pairs (at most MAX_SUGGESTIONS), most similar first
    within each block; at most MAX_COMPARISONS name comparisons whatever the data."""
    wanted = min(wanted, MAX_SUGGESTIONS)
    dismissed = dismissed_pairs(programme)
    found: list[Suggestion] = []
    budget, rows = MAX_COMPARISONS, MAX_ROWS
    for _key, block in itertools.groupby(_candidates(programme),
                                         key=lambda r: (r["sex"], r["birth_date"], r["district_id"])):
        people = list(block)  # ordered by id: a pair's first is the older record
        rows -= len(people)
        if rows < 0:  # every name read is decrypted: stop at a bounded number
            return Found(found[:wanted], more=len(found) > wanted, complete=False)
        names = [_Name.of(p["name"]) for p in people]
        pairs: list[Suggestion] = []
        for i, j in _block_pairs(names):
            if frozenset((people[i]["id"], people[j]["id"])) in dismissed:
                continue
            if budget == 0:
                found.extend(sorted(pairs, key=_order))
                return Found(found[:wanted], more=len(found) > wanted, complete=False)
            budget -= 1
            score = _similarity(names[i], names[j], SIMILARITY)
            if score >= SIMILARITY:
                pairs.append(Suggestion(people[i], people[j], score))
        found.extend(sorted(pairs, key=_order))
        if len(found) > wanted:
            return Found(found[:wanted], more=True, complete=True)
    return Found(found, more=False, complete=True)


def _order(s: Suggestion) -> tuple[float, int, int]:
    return (-s.similarity, s.first["id"], s.second["id"])


def suggestions(programme: Programme, *, limit: int = PER_PAGE) -> list[Suggestion]:
    """The first ``limit`` suggested pairs, most similar first within each block."""
    return find(programme, wanted=limit).suggestions


MAX_PAGES = MAX_SUGGESTIONS // PER_PAGE


@dataclass(frozen=True)
class Page:
    suggestions: list[Suggestion]
    number: int
    has_next: bool
    incomplete: bool  # a bound stopped the search: merging or dismissing pairs brings up more

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def suggestion_page(programme: Programme, number: int) -> Page:
    """Page ``number`` (1-based, clamped to MAX_PAGES) of the suggested pairs."""
    number = max(1, min(number, MAX_PAGES))
    found = find(programme, wanted=number * PER_PAGE)
    return Page(found.suggestions[(number - 1) * PER_PAGE:], number, has_next=found.more and number < MAX_PAGES,
                incomplete=not found.complete or (found.more and number == MAX_PAGES))


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
        summaries.settle()  # both people's monthly summaries, before the merge commits
    return summary


def mark_not_duplicate(programme: Programme, first_id: int, second_id: int, *, user: User) -> None:
    found = Participant.objects.filter(programme=programme, pk__in=[first_id, second_id]).count()
    if first_id == second_id or found != 2:
        raise MergeRefused(_("One of the two participants no longer exists or was merged already."))
    record_access(user, NOT_DUPLICATE, programme, detail={"participants": sorted([first_id, second_id])})
