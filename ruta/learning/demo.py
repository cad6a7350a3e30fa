"""Demo data: a closed pre-test and post-test on the phones for one demo activity of teachers
(or, failing that, any demo activity with at least six participants present), so that the
course reports and the programme dashboard's knowledge gain show something.

Idempotent: once the demo programme has a live test, nothing is added."""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction
from django.db.models import Count

from ruta.accounts.models import User
from ruta.learning import actions
from ruta.learning.models import Course, LiveSession
from ruta.program.models import Activity, Attendance

PEOPLE = 8
# Share of right answers: about half before the workshop, most after it.
RIGHT = {"pre": 0.45, "post": 0.8}


def _pick(programme_name: str) -> tuple[Activity, Course] | None:
    courses = list(Course.objects.filter(active=True))
    activities = (Activity.objects.filter(programme__name=programme_name, facilitators__username="facilitador")
                  .annotate(n=Count("attendance")).filter(n__gte=6).order_by("date", "pk"))
    for prefer_adults in (True, False):
        for activity in activities:
            course = next((c for c in courses if activity.target_group in c.groups), None)
            if course is not None and (activity.target_group != "youth" or not prefer_adults):
                return activity, course
    return None


@transaction.atomic
def load(stdout: Any) -> None:
    from ruta.program.demo import NAME

    if LiveSession.objects.filter(activity__programme__name=NAME).exists():
        stdout.write("learning: demo live tests already there")
        return
    actor = User.objects.filter(username="facilitador").first()
    found = _pick(NAME)
    if actor is None or found is None:
        stdout.write("learning: no demo activity with participants, no live test")
        return
    activity, course = found
    people = list(Attendance.objects.filter(activity=activity).order_by("participant_id")
                  .values_list("participant_id", flat=True)[:PEOPLE])
    chance = random.Random(f"ruta-demo-{activity.pk}")  # the same answers on every install
    written = 0
    for phase in ("pre", "post"):
        session = actions.open_session(actor, activity, course, phase)
        for participant_id in people:
            seat = actions.admit(actor, actions.join(session))
            seat = actions.pick_participant(seat, participant_id)
            for question in actions.seat_questions(seat):
                if chance.random() < RIGHT[phase]:
                    chosen = list(question.correct)
                else:
                    wrong = [i for i in range(len(question.choices("es"))) if i not in question.correct]
                    chosen = wrong[:1] or list(question.correct)
                actions.answer(seat, question.code, chosen)
        written += actions.close_session(actor, session)
    stdout.write(f"learning: demo pre- and post-test on the phones for activity {activity.pk} ({written} results)")
