"""Erasing identifying data, one person at a time (four eyes) or past a retention period.

What erasure keeps is what the figures count, so every figure is the same before and after:

- a participant keeps code, sex, group, district, registration date and age at registration,
  attendance and test results; the name (and its search hash) and the school are emptied in
  the row and in every history row, and the exact birth date is replaced by the date that gives
  the same completed years at the first attendance (or at registration, with none), marked
  estimated. ``first_age``, which the indicators read, is therefore unchanged (the database
  recomputes it from the new date and gets the same number).
- a survivor: see ``ruta.cases.actions.erase_survivor`` (incidents keep the survivor's age and
  sex at the incident; only incidents with consent to statistics count in any figure).

Every erasure writes an access event; none carries personal data.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.audit.actions import record_access
from ruta.cases.actions import erase_survivor
from ruta.cases.codes import CaseStatus, ErasureDecision
from ruta.cases.models import Case
from ruta.lib.foureyes import FourEyesError, decide_once
from ruta.program import summaries
from ruta.program.models import Participant, Programme, age_on
from ruta.retention import policy
from ruta.retention.models import ParticipantErasure, RetentionPolicy


class ErasureError(Exception):
    """The erasure was refused; the message is for the user."""


def _years_before(day: date, years: int) -> date:
    year = day.year - years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def months_before(day: date, months: int) -> date:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(y, m + 1, min(day.day, calendar.monthrange(y, m + 1)[1]))


def stand_in_birth_date(birth_date: date, first_attended_on: date | None, first_age: int | None,
                        registered_on: date) -> date:
    """The date that replaces an exact birth date: the person's birthday falls on the day of the
    first attendance (or registration), so the age in completed years on that day, the one the
    figures use, stays what it was."""
    if first_attended_on is not None:
        years = first_age if first_age is not None else age_on(birth_date, first_attended_on)
        return _years_before(first_attended_on, years)
    return _years_before(registered_on, age_on(birth_date, registered_on))


def forget_old_pages() -> None:
    """SQLite: fold the write-ahead log into the database and empty it, so the pages that held
    erased values before the erasure are not left in the ``-wal`` file (``secure_delete`` clears
    the database file itself, settings.py). PostgreSQL keeps old row versions until VACUUM
    (autovacuum, or the operator: docs/operations.md)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def erase_participant(participant: Participant) -> int:
    """Erase the participant and every record merged into them (the same person). Returns how
    many rows were erased. The caller audits and holds the transaction."""
    ids = {participant.pk}
    frontier = {participant.pk}
    while frontier:  # records merged into this one, and into those
        frontier = set(Participant.all_objects.filter(merged_into__in=frontier).values_list("id", flat=True)) - ids
        ids |= frontier
    rows = Participant.all_objects.filter(id__in=ids, erased_at__isnull=True).values_list(
        "id", "birth_date", "first_attended_on", "first_age", "registered_on")
    now = timezone.now()
    history = Participant.history.model.objects
    n = 0
    for pk, birth, first, first_age, registered in rows:
        stand_in = stand_in_birth_date(birth, first, first_age, registered)
        n += Participant.all_objects.filter(pk=pk, erased_at__isnull=True).update(
            name="", name_hash="", name_parts=None, organisation="", school=None, birth_date=stand_in,
            birth_date_estimated=True, erased_at=now)
        history.filter(id=pk).update(name="", organisation="", school=None, birth_date=stand_in,
                                     birth_date_estimated=True, erased_at=now)
    summaries.settle()  # the same completed years, but the summaries are recomputed in this transaction
    return n


@transaction.atomic
def request_participant_erasure(actor: User, participant: Participant) -> ParticipantErasure:
    """A coordinator asks; another person of the organisation decides
    (:func:`decide_participant_erasure`)."""
    if not policy.may_request(actor, participant):
        raise ErasureError(_("Only a coordinator of the programme's organisation asks for an erasure."))
    if participant.erased_at is not None:
        raise ErasureError(_("This participant's identifying data was already erased."))
    org_id = participant.programme.organisation_id
    assert org_id is not None  # may_request checked it is the actor's
    try:
        with transaction.atomic():
            req = ParticipantErasure.objects.create(participant=participant, requested_by=actor,
                                                    organisation_id=org_id)
    except IntegrityError:
        raise ErasureError(_("A request to erase this participant is already waiting for approval.")) from None
    record_access(actor, "participant.erasure_requested", participant)
    return req


@transaction.atomic
def decide_participant_erasure(actor: User, req: ParticipantErasure, *, approve: bool) -> int | None:
    """Approve (erase now) or refuse. Returns how many records were erased, or None if refused."""
    if not policy.may_decide(actor, req):
        raise ErasureError(_("Only a coordinator or M&E officer of the organisation decides on an erasure."))
    try:
        decide_once(req, actor, approve=approve, approved=ErasureDecision.APPROVED,
                    rejected=ErasureDecision.REJECTED,
                    same_person=_("An erasure is approved by another person than the one who asked for it."),
                    already=_("This request was already decided."))
    except FourEyesError as e:
        raise ErasureError(str(e)) from None
    participant = req.participant
    record_access(actor, "participant.erasure_decided", participant, detail={"approved": approve})
    if not approve:
        return None
    n = erase_participant(participant)
    transaction.on_commit(forget_old_pages)
    record_access(actor, "participant.erased", participant,
                  detail={"records": n, "requested_by": req.requested_by_id})
    return n


# --- retention periods -------------------------------------------------------------------------

def cases_due(rule: RetentionPolicy, today: date) -> QuerySet[Case]:
    if not rule.closed_cases_months:
        return Case.objects.none()
    cutoff = months_before(today, rule.closed_cases_months)
    limit = timezone.make_aware(datetime.combine(cutoff, time.min))
    return Case.objects.filter(organisation_id=rule.organisation_id, status=CaseStatus.CLOSED,
                               closed_at__lt=limit, survivor__erased_at__isnull=True)


def programmes_due(rule: RetentionPolicy, today: date) -> QuerySet[Programme]:
    if not rule.participants_months:
        return Programme.objects.none()
    cutoff = months_before(today, rule.participants_months)
    return Programme.objects.filter(organisation_id=rule.organisation_id, ends_on__lt=cutoff)


def participants_due(rule: RetentionPolicy, today: date) -> QuerySet[Participant]:
    return Participant.all_objects.filter(programme__in=programmes_due(rule, today), erased_at__isnull=True)


@dataclass
class Outcome:
    """What a retention run found (and erased, for real) for one organisation: counts only."""

    organisation_id: int
    cases_on: bool
    participants_on: bool
    cases: int = 0
    participants: int = 0
    programmes: list[int] = field(default_factory=list)


def apply_retention(*, for_real: bool, today: date | None = None) -> list[Outcome]:
    """Erase what is past its organisation's retention period (a dry run counts only). A period
    left blank erases nothing. Each case, and each programme's participants, in its own
    transaction: an interrupted run leaves only whole erasures, and the next run goes on."""
    today = today or timezone.localdate()
    outcomes = []
    for rule in RetentionPolicy.objects.order_by("organisation_id"):
        out = Outcome(rule.organisation_id, bool(rule.closed_cases_months), bool(rule.participants_months))
        case_ids = list(cases_due(rule, today).values_list("id", flat=True))
        out.cases = len(case_ids)
        for prog_id in programmes_due(rule, today).values_list("id", flat=True):
            n = Participant.all_objects.filter(programme_id=prog_id, erased_at__isnull=True).count()
            if n:
                out.participants += n
                out.programmes.append(prog_id)
        if for_real:
            for case_id in case_ids:
                _erase_case_past_period(case_id, rule)
            for prog_id in out.programmes:
                _erase_programme_past_period(prog_id, rule)
        outcomes.append(out)
    if for_real and any(o.cases or o.participants for o in outcomes):
        transaction.on_commit(forget_old_pages)
    return outcomes


@transaction.atomic
def _erase_case_past_period(case_id: int, rule: RetentionPolicy) -> None:
    case = Case.objects.select_related("survivor").get(pk=case_id)
    if case.survivor.erased_at is not None or case.status != CaseStatus.CLOSED:
        return  # reopened or erased since the count
    keep = erase_survivor(case)
    record_access(None, "retention.erase_case", case,
                  detail={"incidents_kept": keep, "months": rule.closed_cases_months})


BATCH = 500  # participants per transaction: SQLite's write lock is never held for long


def _erase_programme_past_period(programme_id: int, rule: RetentionPolicy) -> None:
    """In batches, each its own transaction (an interrupted run leaves whole erasures; the next
    run goes on), then one access event for the programme."""
    programme = Programme.objects.get(pk=programme_id)
    n = 0
    while True:
        with transaction.atomic():
            batch = list(Participant.all_objects.filter(programme_id=programme_id, erased_at__isnull=True)
                         .order_by("merged_into_id", "id")[:BATCH])
            if not batch:
                break
            for person in batch:
                n += erase_participant(person)
    record_access(None, "retention.erase_participants", programme,
                  detail={"participants": n, "months": rule.participants_months})


def retention_task_body() -> dict[str, Any]:
    """The scheduled run: for real, counts only in the result."""
    outcomes = apply_retention(for_real=True)
    return {"cases": sum(o.cases for o in outcomes), "participants": sum(o.participants for o in outcomes)}
