"""State changes of programme monitoring. Each function is atomic: it saves everything or
nothing. Change history comes from simple-history (who changed what, when). Those that write
attendance, people or test results settle the monthly summaries before they commit
(``summaries.settles``)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ruta.program import summaries
from ruta.program.checks import check_birth_and_consent
from ruta.program.models import (
    Activity,
    AssessmentResult,
    Attendance,
    Instrument,
    Participant,
    Programme,
    School,
    ScoringRule,
    Target,
)

CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no look-alikes (0/O, 1/I, 5/S, 8/B, 2/Z)


def new_participant_code(programme: Programme) -> str:
    """A pseudonymous code that says nothing about the person."""
    for _attempt in range(20):
        code = "P-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        if not Participant.all_objects.filter(programme=programme, code=code).exists():
            return code
    raise RuntimeError("could not find a free participant code")


@dataclass(frozen=True)
class NewParticipant:
    sex: str
    group: str
    district_id: str
    registered_on: dt.date
    birth_date: dt.date | None = None
    age: int | None = None
    organisation: str = ""
    guardian_consent: bool = False
    name: str = ""
    code: str = ""
    school_id: int | None = None


def check_new_participant(data: NewParticipant) -> dict[str, str]:
    """Errors by field, in the user's language; empty when the person can be registered."""
    found, _birth = check_birth_and_consent(birth_date=data.birth_date, age=data.age,
                                            registered_on=data.registered_on, guardian_consent=data.guardian_consent)
    return {found.field: found.message} if found else {}


@transaction.atomic
def register_participant(programme: Programme, data: NewParticipant, *, actor: Any) -> Participant:
    found, birth = check_birth_and_consent(birth_date=data.birth_date, age=data.age,
                                           registered_on=data.registered_on, guardian_consent=data.guardian_consent)
    if found or birth is None:
        raise ValidationError(check_new_participant(data))
    code = data.code or new_participant_code(programme)
    # all_objects: a code an import is staging is taken too (the unique constraint says so).
    if Participant.all_objects.filter(programme=programme, code=code).exists():
        raise ValidationError({"code": _("Another participant of this programme already has this code.")})
    return Participant.objects.create(
        programme=programme, code=code, sex=data.sex, birth_date=birth.date, birth_date_estimated=birth.estimated,
        age_at_registration=birth.age, registered_on=data.registered_on,
        group=data.group, district_id=data.district_id, organisation=data.organisation.strip(),
        guardian_consent=data.guardian_consent, name=data.name.strip(), created_by=actor, school_id=data.school_id,
    )


def _check_participants(programme: Programme, participant_ids: Iterable[int]) -> list[int]:
    ids = sorted(set(participant_ids))
    found = set(
        Participant.objects.filter(programme=programme, pk__in=ids, merged_into__isnull=True).values_list(
            "pk", flat=True
        )
    )
    if len(found) != len(ids):
        raise ValidationError({"participants": _("Some participants are not in this programme.")})
    return ids


@transaction.atomic
@summaries.settles
def record_activity(programme: Programme, fields: Mapping[str, Any], *, facilitators: Iterable[Any],
                    participant_ids: Iterable[int], actor: Any) -> Activity:
    """Create an activity with its facilitators and attendance, all or nothing."""
    if not programme.starts_on <= fields["date"] <= programme.ends_on:
        raise ValidationError({"date": _("The date is outside the programme's period (%(start)s – %(end)s).") % {
            "start": programme.starts_on.isoformat(), "end": programme.ends_on.isoformat()}})
    ids = _check_participants(programme, participant_ids)
    activity = Activity.objects.create(programme=programme, created_by=actor, **fields)
    activity.facilitators.set(list(facilitators))
    Attendance.objects.bulk_create(
        Attendance(activity=activity, participant_id=pk, programme=programme, date=activity.date) for pk in ids
    )
    return activity


@transaction.atomic
@summaries.settles
def set_attendance(activity: Activity, participant_ids: Iterable[int]) -> tuple[int, int]:
    """Make the activity's attendance exactly ``participant_ids``; returns (added, removed)."""
    ids = set(_check_participants(activity.programme, participant_ids))
    present = set(Attendance.objects.filter(activity=activity).values_list("participant_id", flat=True))
    removed = present - ids
    if removed:
        Attendance.objects.filter(activity=activity, participant_id__in=removed).delete()
    added = ids - present
    Attendance.objects.bulk_create(
        Attendance(activity=activity, participant_id=pk, programme_id=activity.programme_id, date=activity.date)
        for pk in sorted(added)
    )
    return len(added), len(removed)


@transaction.atomic
@summaries.settles
def add_attendance(activity: Activity, participant: Participant) -> bool:
    """Add one person to an activity; False if they were already there."""
    _check_participants(activity.programme, [participant.pk])
    try:
        with transaction.atomic():
            Attendance.objects.create(activity=activity, participant=participant,
                                      programme_id=activity.programme_id, date=activity.date)
    except IntegrityError:
        return False
    return True


@transaction.atomic
@summaries.settles
def update_activity(activity: Activity, fields: Mapping[str, Any], *, facilitators: Iterable[Any]) -> Activity:
    """Change an activity; a new date moves its attendance with it (same transaction)."""
    programme = activity.programme
    if not programme.starts_on <= fields["date"] <= programme.ends_on:
        raise ValidationError({"date": _("The date is outside the programme's period (%(start)s – %(end)s).") % {
            "start": programme.starts_on.isoformat(), "end": programme.ends_on.isoformat()}})
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.save()
    activity.facilitators.set(list(facilitators))
    Attendance.objects.filter(activity=activity).exclude(date=activity.date).update(date=activity.date)
    return activity


class RosterError(Exception):
    """Rows of a roster that cannot be registered: {row index: {field: message}}."""

    def __init__(self, rows: dict[int, dict[str, str]]) -> None:
        super().__init__(rows)
        self.rows = rows


@transaction.atomic
@summaries.settles
def register_roster(activity: Activity, people: Mapping[int, NewParticipant], existing: Mapping[int, int], *,
                    actor: Any) -> list[Participant]:
    """A class registered in one go, all or nothing: each of ``people`` (by row) is registered and
    marked present, and each of ``existing`` (row → participant id, a person the facilitator said
    is already registered) is marked present. Every row is checked before anything is saved."""
    problems = {row: found for row, data in people.items() if (found := check_new_participant(data))}
    if problems:
        raise RosterError(problems)
    ids = _check_participants(activity.programme, existing.values())
    created = [register_participant(activity.programme, people[row], actor=actor) for row in sorted(people)]
    present = set(Attendance.objects.filter(activity=activity).values_list("participant_id", flat=True))
    set_attendance(activity, present | set(ids) | {p.pk for p in created})
    return created


# --- Tests --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Score:
    score: int
    max_score: int
    percent: Decimal


def score_answers(instrument: Instrument, answers: Mapping[str, str | None]) -> Score:
    """Score with the instrument's rule (format version 1: ``percent_correct``)."""
    rule = instrument.scoring.get("rule")
    if rule != ScoringRule.PERCENT_CORRECT:
        raise ValueError(f"unknown scoring rule {rule!r}")
    key = instrument.answer_key.get("answers", {})
    items = instrument.item_ids
    correct = sum(1 for item in items if answers.get(item) is not None and answers.get(item) == key.get(item))
    percent = (Decimal(100 * correct) / Decimal(len(items))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) \
        if items else Decimal(0)
    return Score(correct, len(items), percent)


def check_answers(instrument: Instrument, answers: Mapping[str, str | None]) -> str | None:
    """An error message if an answer is not one of the item's choices."""
    choices = {str(i["id"]): {str(c["id"]) for c in i.get("choices", [])} for i in instrument.items.get("items", [])}
    for item, answer in answers.items():
        if item not in choices:
            return _("Unknown question %(item)s.") % {"item": item}
        if answer is not None and answer not in choices[item]:
            return _("Answer %(answer)s is not a choice of question %(item)s.") % {"answer": answer, "item": item}
    return None


@transaction.atomic
@summaries.settles
def record_sheet(instrument: Instrument, *, phase: str, taken_on: dt.date,
                 sheet: Mapping[int, Mapping[str, str | None]], activity: Activity | None,
                 actor: Any) -> list[AssessmentResult]:
    """Save a whole group's answers for one phase; a participant's earlier result for the
    same test and phase is replaced. Every row is checked before anything is saved."""
    ids = _check_participants(instrument.programme, sheet.keys())
    for pk in ids:
        error = check_answers(instrument, sheet[pk])
        if error:
            raise ValidationError({"answers": error})
    rule = {"version": 1, "scoring": instrument.scoring, "answer_key": instrument.answer_key,
            "instrument_version": instrument.version}
    saved = []
    for pk in ids:
        answers = {item: sheet[pk].get(item) for item in instrument.item_ids}
        s = score_answers(instrument, answers)
        result, _created = AssessmentResult.objects.update_or_create(
            participant_id=pk, instrument_code=instrument.code, phase=phase,
            defaults={
                "instrument": instrument, "programme_id": instrument.programme_id, "activity": activity,
                "taken_on": taken_on, "answers": {"version": 1, "answers": answers}, "score": s.score,
                "max_score": s.max_score, "score_percent": s.percent, "rule": rule, "recorded_by": actor,
            },
        )
        saved.append(result)
    return saved


# --- Programme and targets ----------------------------------------------------------------------

@transaction.atomic
def save_target(programme: Programme, *, indicator: str, value: Decimal, sex: str = "", age_band: str = "",
                group: str = "", province_id: str | None = None, plan: list[list[str]] | None = None) -> Target:
    """Set the target of one indicator slice (a second value for the same slice replaces it).
    ``plan``: cumulative values at dates (``Target.plan``); empty for linear progress."""
    target, _created = Target.objects.update_or_create(
        programme=programme, indicator=indicator, sex=sex, age_band=age_band, group=group,
        province_id=province_id or None, defaults={"value": value, "plan": plan or []},
    )
    return target


@transaction.atomic
def remove_target(target: Target) -> None:
    target.delete()


# --- Schools ------------------------------------------------------------------------------------

@transaction.atomic
def add_school(*, name: str, district_id: str, level: str, place: str, actor: Any) -> School:
    """A school added by hand; the same name in the same district is refused (it is there already)."""
    from ruta.program.models import normalise_name

    for existing in School.objects.filter(district_id=district_id).only("name"):
        if normalise_name(existing.name) == normalise_name(name):
            raise ValidationError({"name": _("This district already has a school with this name.")})
    return School.objects.create(name=name, district_id=district_id, level=level, place=place.strip(),
                                 source=_("Added by hand by %(user)s") % {"user": actor.get_full_name() or actor},
                                 added_by=actor)


@transaction.atomic
def import_padron(stream: Any, *, source: str, department: str, actor: Any) -> Any:
    """A newer padrón: its schools of ``department`` are updated or added (by MINEDU code), all or nothing."""
    from ruta.program.reference import PadronError, load_padron

    try:
        return load_padron(stream, source=source, department=department, user=actor)
    except PadronError:
        raise ValidationError({"file": _("This is not a padrón file: it lacks the columns COD_MOD, ANEXO, "
                                         "CEN_EDU and CODGEO, or has too many rows.")}) from None
