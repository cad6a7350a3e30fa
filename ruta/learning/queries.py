"""Reads of the learning app's staff pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from ruta.learning.actions import short_name
from ruta.learning.codes import SeatState
from ruta.learning.models import Answer, LiveSession, Question


def live_state(session: LiveSession, language: str = "es") -> dict[str, Any]:
    """Who joined and answered, and each question's share correct (no ranking, no score per
    person: the facilitator sees progress, not marks)."""
    seats = list(session.seats.select_related("participant").annotate(answered=Count("answers")).order_by("number"))
    per_form = dict(Question.objects.filter(version_id=session.version_id).values_list("form").annotate(n=Count("pk")))
    rows = []
    for seat in seats:
        who = ""
        if seat.participant_id is not None:
            person = seat.participant
            who = short_name(person.name) if person and person.name else (person.code if person else "")
        rows.append({"seat": seat, "who": who, "anonymous": bool(seat.pairing_hash),
                     "total": per_form.get(seat.form, 0) if seat.form else 0})
    stats = (Answer.objects.filter(seat__session=session)
             .values("question_id").annotate(n=Count("pk"), right=Count("pk", filter=Q(correct=True))))
    by_question = {s["question_id"]: s for s in stats}
    questions = []
    for q in Question.objects.filter(version_id=session.version_id).order_by("form", "order"):
        s = by_question.get(q.pk, {"n": 0, "right": 0})
        questions.append({"question": q, "text": q.text(language), "n": s["n"],
                          "share": round(100 * s["right"] / s["n"]) if s["n"] else None})
    return {
        "session": session, "rows": rows, "questions": questions,
        "waiting": sum(1 for seat in seats if seat.state == SeatState.WAITING),
        "finished": sum(1 for seat in seats if seat.finished_at),
    }
