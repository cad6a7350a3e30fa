"""Small programme data for the cast of ``ruta.testing.cast`` (everything belongs to Alpha)."""

from __future__ import annotations

import datetime as dt

from ruta.accounts.roles import Role
from ruta.program.models import Activity, Attendance, Instrument, Participant, Programme
from ruta.testing.cast import Cast

D = dt.date
BIRTH = D(2009, 4, 2)
DAY = D(2025, 3, 10)


def programme(cast: Cast) -> Programme:
    prog, _created = Programme.objects.get_or_create(
        name="Alpha grant",
        defaults={"donor": "EMpower", "starts_on": D(2025, 1, 1), "ends_on": D(2025, 12, 31),
                  "organisation": cast.alpha_org, "donor_organisation": cast.alpha_org, "completion_sessions": 3},
    )
    if prog.donor_organisation_id is None:
        prog.donor_organisation = cast.alpha_org
        prog.save(update_fields=["donor_organisation"])
    return prog


def participant(cast: Cast, code: str = "P-AAA111", *, name: str = "Rosa Huamán", birth: dt.date = BIRTH,
                sex: str = "female", group: str = "youth") -> Participant:
    person, _created = Participant.objects.get_or_create(
        programme=programme(cast), code=code,
        defaults={"sex": sex, "birth_date": birth, "registered_on": D(2025, 3, 1), "group": group,
                  "district_id": "170101", "guardian_consent": True, "name": name},
    )
    return person


def activity(cast: Cast, *, day: dt.date = DAY) -> Activity:
    prog = programme(cast)
    act = Activity.objects.filter(programme=prog, date=day).first()
    if act is None:
        act = Activity.objects.create(programme=prog, type="workshop", title="Derechos", date=day,
                                      duration_minutes=120, district_id="170101", place="I.E. Santa Rosa",
                                      target_group="youth", created_by=cast.alpha[Role.COORDINATOR])
        act.facilitators.set([cast.alpha[Role.FACILITATOR]])
    return act


def attended(cast: Cast) -> tuple[Activity, Participant]:
    act, person = activity(cast), participant(cast)
    Attendance.objects.get_or_create(activity=act, participant=person)
    return act, person


def instrument(cast: Cast) -> Instrument:
    test, _created = Instrument.objects.get_or_create(
        programme=programme(cast), code="rights", version=1,
        defaults={
            "title": "Conozco mis derechos",
            "items": {"version": 1, "items": [
                {"id": f"q{i}", "text": {"es": f"Pregunta {i}", "en": f"Question {i}"},
                 "choices": [{"id": c, "text": {"es": c, "en": c}} for c in "abcd"]} for i in range(1, 6)]},
            "answer_key": {"version": 1, "answers": {"q1": "a", "q2": "b", "q3": "c", "q4": "d", "q5": "a"}},
            "scoring": {"version": 1, "rule": "percent_correct", "pass_percent": 70},
        },
    )
    return test
