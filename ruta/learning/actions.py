"""State changes of live tests: open, join, admit, identify, answer, ask for help, close.

Each is atomic. Answers are idempotent: the first answer to a question is the one kept and a
repeated POST (a retry after a dropped connection, an offline queue sent twice) returns it
without writing a second row. Closing a session writes each identified participant's result
into programme monitoring (``AssessmentResult``: the dashboard's knowledge indicators and the
paired pre/post gain are computed from those rows).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.audit.actions import record_access
from ruta.learning.codes import Form, QuestionKind, SeatState, SessionState
from ruta.learning.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Answer,
    Course,
    LiveSession,
    Question,
    Seat,
    TestVersion,
    form_for,
)
from ruta.lib.crypto import keyed_hash
from ruta.program.models import Activity, AssessmentResult, Attendance, Instrument, Phase

PASS_PERCENT = 70
PAIRING_PURPOSE = "learning.pairing"


class LearningActionError(Exception):
    """A refusal with a message for the person (already translated)."""


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    return "".join(text.split()).upper()[:20]


@transaction.atomic
def open_session(actor: Any, activity: Activity, course: Course, phase: str) -> LiveSession:
    if phase not in Phase.values:
        raise LearningActionError(_("Choose pre-test or post-test."))
    version = course.current_version()
    if version is None or not course.active:
        raise LearningActionError(_("This course has no test yet."))
    if LiveSession.objects.filter(activity=activity, state=SessionState.OPEN).exists():
        raise LearningActionError(_("A test is already open for this activity: close it first."))
    TestVersion.objects.filter(pk=version.pk, used_at__isnull=True).update(used_at=timezone.now())
    for _attempt in range(20):
        try:
            with transaction.atomic():
                session = LiveSession.objects.create(activity=activity, version=version, phase=phase,
                                                     code=new_code(), opened_by=actor)
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - 23^6 codes
        raise LearningActionError(_("No free code: try again."))
    record_access(actor, "learning.open_session", session)
    return session


def find_open_session(code: str) -> LiveSession | None:
    code = normalise_code(code)
    if len(code) != CODE_LENGTH:
        return None
    return LiveSession.objects.filter(code=code, state=SessionState.OPEN).first()


@transaction.atomic
def join(session: LiveSession) -> Seat:
    """A phone asks to take part: it waits until the facilitator admits it."""
    for _attempt in range(10):
        number = (session.seats.aggregate(n=Max("number"))["n"] or 0) + 1
        try:
            with transaction.atomic():
                return Seat.objects.create(session=session, token=secrets.token_urlsafe(32), number=number)
        except IntegrityError:
            continue
    raise LearningActionError(_("Too many phones are joining at once: try again."))


@transaction.atomic
def admit(actor: Any, seat: Seat, *, admitted: bool = True) -> Seat:
    if not seat.session.is_open:
        raise LearningActionError(_("The session is closed."))
    seat.state = SeatState.ADMITTED if admitted else SeatState.REFUSED
    seat.save(update_fields=["state"])
    return seat


def roster(session: LiveSession) -> list[tuple[int, str]]:
    """The activity's attendance as (participant id, "First N.") — first name and surname
    initial only: a full name is never shown on a public page."""
    rows = []
    people = (Attendance.objects.filter(activity_id=session.activity_id)
              .select_related("participant").order_by("participant_id"))
    for attendance in people:
        person = attendance.participant
        rows.append((attendance.participant_id, short_name(person.name or "") if person.name else person.code))
    rows.sort(key=lambda r: r[1].casefold())
    return rows


def short_name(name: str) -> str:
    parts = name.split()
    if not parts:
        return "—"
    return parts[0] if len(parts) == 1 else f"{parts[0]} {parts[1][0]}."


def _check_can_identify(seat: Seat) -> None:
    if not seat.session.is_open:
        raise LearningActionError(_("The session is closed."))
    if seat.state != SeatState.ADMITTED:
        raise LearningActionError(_("Wait until the facilitator lets your phone in."))
    if seat.identified:
        raise LearningActionError(_("This phone has already chosen who answers."))


@transaction.atomic
def pick_participant(seat: Seat, participant_id: int) -> Seat:
    seat = Seat.objects.select_for_update().select_related("session").get(pk=seat.pk)
    _check_can_identify(seat)
    if not Attendance.objects.filter(activity_id=seat.session.activity_id, participant_id=participant_id).exists():
        raise LearningActionError(_("Choose a name from the list."))
    if Seat.objects.filter(session=seat.session, participant_id=participant_id).exists():
        raise LearningActionError(_("That name was already chosen on another phone. Tell the facilitator."))
    seat.participant_id = participant_id
    seat.form = participant_form(seat.session, participant_id)
    try:
        with transaction.atomic():
            seat.save(update_fields=["participant", "form"])
    except IntegrityError as exc:
        raise LearningActionError(_("That name was already chosen on another phone. Tell the facilitator.")) from exc
    return seat


def participant_form(session: LiveSession, participant_id: int) -> str:
    """The form a named participant takes: at the post-test, the other form than the one of
    their pre-test of the same course (live or on paper), which is usually taken in an earlier
    activity of the programme than the post-test; otherwise the activity's half-and-half split."""
    if session.phase != Phase.PRE:
        before = (Seat.objects.filter(participant_id=participant_id, session__phase=Phase.PRE,
                                      session__state=SessionState.CLOSED, answers__isnull=False,
                                      session__version__course_id=session.version.course_id)
                  .exclude(form="")
                  .order_by("-session__closed_at", "-session_id").values_list("form", flat=True).first())
        if before:
            return Form.B if before == Form.A else Form.A
    return form_for(f"p{participant_id}", session.activity_id, session.phase)


def pairing_code(mother_initial: str, birth_day: int, place_initial: str) -> str:
    """The anonymous code a person makes from facts only they know (the same facts give the
    same code at the post-test)."""
    return f"{mother_initial.strip()[:1].upper()}{birth_day:02d}{place_initial.strip()[:1].upper()}"


@transaction.atomic
def make_pairing(seat: Seat, code: str) -> Seat:
    seat = Seat.objects.select_for_update().select_related("session").get(pk=seat.pk)
    _check_can_identify(seat)
    digest = keyed_hash(f"{seat.session.activity_id}\0{code}", PAIRING_PURPOSE)
    seat.pairing_hash = digest
    seat.form = form_for(f"a{digest}", seat.session.activity_id, seat.session.phase)
    seat.save(update_fields=["pairing_hash", "form"])
    return seat


def seat_questions(seat: Seat) -> list[Question]:
    return seat.session.version.form_questions(seat.form) if seat.form else []


def check_choice(question: Question, chosen: list[int]) -> list[int]:
    size = len(question.choices("es"))
    chosen = sorted(set(chosen))
    if not chosen:
        raise LearningActionError(_("Choose an answer."))
    if any(c < 0 or c >= size for c in chosen):
        raise LearningActionError(_("That answer is not one of the choices."))
    if question.kind != QuestionKind.MULTIPLE and len(chosen) != 1:
        raise LearningActionError(_("Choose only one answer."))
    return chosen


@dataclass(frozen=True)
class Saved:
    answer: Answer
    created: bool


@transaction.atomic
def answer(seat: Seat, question_code: str, chosen: list[int]) -> Saved:
    """Save one answer. A second answer to the same question returns the first (not an error:
    the phone may be retrying a request whose reply it never got)."""
    if not seat.session.is_open:
        raise LearningActionError(_("The session is closed."))
    if seat.state != SeatState.ADMITTED or not seat.form:
        raise LearningActionError(_("Wait until the facilitator lets your phone in."))
    question = Question.objects.filter(version_id=seat.session.version_id, form=seat.form,
                                       code=question_code).first()
    if question is None:
        raise LearningActionError(_("Unknown question."))
    existing = Answer.objects.filter(seat=seat, question=question).first()
    if existing is not None:
        return Saved(existing, False)
    chosen = check_choice(question, chosen)
    try:
        with transaction.atomic():
            saved = Answer.objects.create(seat=seat, question=question, chosen=chosen,
                                          correct=question.is_correct(chosen))
    except IntegrityError:
        return Saved(Answer.objects.get(seat=seat, question=question), False)
    total = Question.objects.filter(version_id=seat.session.version_id, form=seat.form).count()
    if Answer.objects.filter(seat=seat).count() >= total:
        Seat.objects.filter(pk=seat.pk, finished_at__isnull=True).update(finished_at=timezone.now())
    return Saved(saved, True)


def ask_help(seat: Seat) -> None:
    """Tell the facilitator that someone in the room asked for help — never who."""
    if seat.session.is_open:
        LiveSession.objects.filter(pk=seat.session_id).update(help_requests=F("help_requests") + 1,
                                                              last_help_at=timezone.now())


@transaction.atomic
def close_session(actor: Any, session: LiveSession) -> int:
    """Close the session (its code is freed, every place answers 410) and write each
    identified participant's result to programme monitoring. Returns the results written."""
    session = LiveSession.objects.select_for_update().get(pk=session.pk)
    if not session.is_open:
        raise LearningActionError(_("The session is already closed."))
    session.state = SessionState.CLOSED
    session.code = None
    session.closed_at = timezone.now()
    session.save(update_fields=["state", "code", "closed_at"])
    written = write_results(actor, session)
    record_access(actor, "learning.close_session", session, detail={"results": written})
    return written


def instrument_for(session: LiveSession) -> Instrument:
    """The programme's instrument for this course and test version (both forms; a result
    names its form). Pre and post pair on the code, whatever the form."""
    version = session.version
    course = version.course
    questions = list(version.questions.order_by("form", "order"))
    items = {"version": 1, "items": [
        {"id": q.code, "form": q.form, "text": {"es": q.text_es, "en": q.text_en},
         "choices": [{"id": str(i), "text": {"es": es, "en": en}}
                     for i, (es, en) in enumerate(zip(q.choices("es"), q.choices("en"), strict=False))]}
        for q in questions]}
    key = {"version": 1, "answers": {q.code: ",".join(str(c) for c in q.correct) for q in questions}}
    instrument, _created = Instrument.objects.get_or_create(
        programme_id=session.activity.programme_id, code=f"learning-{course.code}"[:40], version=version.number,
        defaults={"title": course.title_es[:200], "items": items, "answer_key": key,
                  "scoring": {"version": 1, "rule": "percent_correct", "pass_percent": PASS_PERCENT,
                              "per_form": True}})
    return instrument


def write_results(actor: Any, session: LiveSession) -> int:
    seats = list(session.seats.filter(participant__isnull=False, state=SeatState.ADMITTED)
                 .exclude(form="").select_related("participant"))
    if not seats:
        return 0
    instrument = instrument_for(session)
    written = 0
    for seat in seats:
        questions = seat_questions(seat)
        given = {a.question_id: a for a in seat.answers.all()}
        if not given:
            continue
        answers = {q.code: (",".join(str(c) for c in given[q.pk].chosen) if q.pk in given else None)
                   for q in questions}
        score = sum(1 for q in questions if q.pk in given and given[q.pk].correct)
        percent = (Decimal(100 * score) / Decimal(len(questions))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        rule = {"version": 1, "scoring": instrument.scoring, "form": seat.form,
                "answer_key": {q.code: ",".join(str(c) for c in q.correct) for q in questions},
                "instrument_version": instrument.version, "source": "learning.live_session",
                "session": session.pk}
        AssessmentResult.objects.update_or_create(
            participant_id=seat.participant_id, instrument_code=instrument.code, phase=session.phase,
            defaults={"instrument": instrument, "programme_id": instrument.programme_id,
                      "activity_id": session.activity_id, "taken_on": session.activity.date,
                      "answers": {"version": 1, "answers": answers}, "score": score,
                      "max_score": len(questions), "score_percent": percent, "rule": rule,
                      "recorded_by": actor})
        written += 1
    return written


LETTERS = "abcdefghij"


def parse_letters(question: Question, text: str) -> list[int] | None:
    """A paper answer typed as letters ("b", "ac"); blank is None (not answered)."""
    text = "".join(text.split()).lower()
    if not text or text == "-":
        return None
    size = len(question.choices("es"))
    if any(ch not in LETTERS[:size] for ch in text):
        raise LearningActionError(_("Use the letters of the choices (a to %(last)s).") % {"last": LETTERS[size - 1]})
    return check_choice(question, [LETTERS.index(ch) for ch in text])


@transaction.atomic
def record_paper(actor: Any, activity: Activity, course: Course, phase: str,
                 rows: dict[int, tuple[str, list[str]]]) -> int:
    """Save a group's paper answers (participant id → form and the letters typed per question)
    as a closed paper session, then as the activity's results. Everything is checked before
    anything is saved; a participant's earlier paper entry for the same activity and phase is
    replaced."""
    if phase not in Phase.values:
        raise LearningActionError(_("Choose pre-test or post-test."))
    version = course.current_version()
    if version is None:
        raise LearningActionError(_("This course has no test yet."))
    roster_ids = set(Attendance.objects.filter(activity=activity).values_list("participant_id", flat=True))
    forms = {f: version.form_questions(f) for f in ("A", "B")}
    parsed: dict[int, tuple[str, list[tuple[Question, list[int]]]]] = {}
    for pk, (form, letters) in rows.items():
        if pk not in roster_ids:
            raise LearningActionError(_("Choose a name from the list."))
        if form not in forms:
            raise LearningActionError(_("Choose form A or B for each person who took the test."))
        given = []
        for question, text in zip(forms[form], letters, strict=False):
            try:
                chosen = parse_letters(question, text)
            except LearningActionError as exc:
                raise LearningActionError(f"{question.form}{question.order}: {exc}") from exc
            if chosen is not None:
                given.append((question, chosen))
        parsed[pk] = (form, given)
    TestVersion.objects.filter(pk=version.pk, used_at__isnull=True).update(used_at=timezone.now())
    session = LiveSession.objects.create(activity=activity, version=version, phase=phase, state=SessionState.CLOSED,
                                         code=None, opened_by=actor, closed_at=timezone.now(), on_paper=True)
    Seat.objects.filter(session__activity=activity, session__phase=phase, session__on_paper=True,
                        participant_id__in=list(parsed)).exclude(session=session).delete()
    for number, (pk, (form, given)) in enumerate(sorted(parsed.items()), 1):
        seat = Seat.objects.create(session=session, token=secrets.token_urlsafe(32), number=number,
                                   state=SeatState.ADMITTED, participant_id=pk, form=form)
        Answer.objects.bulk_create([Answer(seat=seat, question=q, chosen=c, correct=q.is_correct(c)) for q, c in given])
    written = write_results(actor, session)
    record_access(actor, "learning.record_paper", session, detail={"results": written})
    return written


def roster_for_staff(activity: Activity) -> list[tuple[int, str]]:
    """The activity's attendance with names as staff see them (the facilitator's own page)."""
    rows = [(a.participant_id, a.participant.name or a.participant.code)
            for a in Attendance.objects.filter(activity=activity).select_related("participant")]
    return sorted(rows, key=lambda r: r[1].casefold())
