"""Demo data: the grant of ``seed/grantee-profile.txt`` with a synthetic year of activities
in Madre de Dios' eleven districts.

From the grant text: 1,250 youth aged 10–24 (850 female, 400 male), and that teachers, local
authorities and community organisations are strengthened. Everything else (the period,
the adult targets, every person, activity and score) is synthetic and labelled "demo".
Idempotent: a second run finds the programme and adds nothing. Deterministic (fixed seed)
apart from the dates: the two-year period starts on the first of the month a year before the
day the demo is loaded, so "are we on track?" always has a today inside the period, and
every activity lies in its first year (before today). Every participant's sex is recorded
(female, male or intersex): a demo youth "without data" would under-count the 850/400 targets.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from ruta.accounts.models import Organisation, User
from ruta.program.actions import score_answers
from ruta.program.models import (
    Activity,
    AssessmentResult,
    Attendance,
    Instrument,
    Participant,
    Programme,
    Target,
)

NAME = "Prevención de la violencia sexual y de género con jóvenes de Madre de Dios (demo)"
NGO = "PROMSEX — programa Madre de Dios (demo)"
DONOR_ORG = "Donante de demostración"
YEAR_ONE = dt.date(2025, 1, 1)  # the synthetic dates below are written for a period starting here


def period(today: dt.date) -> tuple[dt.date, dt.date]:
    """Two years from the first of the month a year before ``today``: today is inside it."""
    start = dt.date(today.year - 1, today.month, 1)
    return start, dt.date(start.year + 2, start.month, 1) - dt.timedelta(days=1)

# UBIGEO of Madre de Dios (domain/madre_de_dios.md) with a weight for where the work happens.
DISTRICTS = {
    "170101": 10, "170102": 2, "170103": 2, "170104": 3,  # Tambopata province
    "170201": 1, "170202": 1, "170203": 1, "170204": 3,  # Manu
    "170301": 2, "170302": 2, "170303": 1,  # Tahuamanu
}
FIRST = {
    "female": ["Ana", "Rosa", "María", "Lucía", "Milagros", "Yesenia", "Katherine", "Flor", "Nayeli", "Sheyla",
               "Camila", "Valeria", "Ruth", "Maribel", "Luz", "Daysi", "Erika", "Thalía", "Jhoselyn", "Noemí"],
    "male": ["José", "Luis", "Jhon", "Carlos", "Miguel", "Brayan", "Jesús", "Kevin", "Renzo", "Alex",
             "Diego", "Edwin", "Franco", "Wilber", "Anthony", "Junior", "Percy", "Rubén", "Saúl", "Yordy"],
}
LAST = ["Quispe", "Huamán", "Mamani", "Condori", "Flores", "Choque", "Vargas", "Ccahuana", "Rojas", "Ramos",
        "Apaza", "Torres", "Cusi", "Huillca", "Pérez", "García", "Sánchez", "Chávez", "Dañino", "Yucra"]
TOPICS = [
    "Derechos sexuales y reproductivos; consentimiento",
    "Tipos de violencia y señales de alerta",
    "Ruta de atención: a dónde acudir (CEM, salud, comisaría, fiscalía)",
    "Relaciones saludables y prevención del enamoramiento violento",
    "Riesgos en línea y trata de personas",
]
ITEMS = [
    ("q1", "¿Quién puede dar consentimiento?", "Who can give consent?"),
    ("q2", "¿Qué es violencia psicológica?", "What is psychological violence?"),
    ("q3", "¿A dónde acudir primero tras una violación?", "Where to go first after a rape?"),
    ("q4", "¿En cuántas horas debe darse el kit de emergencia?",
     "Within how many hours should the emergency kit be given?"),
    ("q5", "¿La denuncia requiere un abogado?", "Does a report need a lawyer?"),
    ("q6", "¿Qué es el enamoramiento violento?", "What is a violent relationship?"),
    ("q7", "¿Quién protege a una niña en riesgo?", "Who protects a girl at risk?"),
    ("q8", "¿Qué es la trata de personas?", "What is human trafficking?"),
    ("q9", "¿El colegio debe reportar un caso?", "Must the school report a case?"),
    ("q10", "¿Cuál es la línea gratuita de ayuda?", "Which is the free helpline?"),
]
KEY = {"q1": "b", "q2": "a", "q3": "c", "q4": "b", "q5": "d", "q6": "a", "q7": "c", "q8": "b", "q9": "a",
       "q10": "d"}


def _instrument(programme: Programme) -> Instrument:
    items = {"version": 1, "items": [
        {"id": i, "text": {"es": es, "en": en},
         "choices": [{"id": c, "text": {"es": c.upper(), "en": c.upper()}} for c in "abcd"]}
        for i, es, en in ITEMS]}
    test, _created = Instrument.objects.get_or_create(
        programme=programme, code="derechos", version=1,
        defaults={"title": "Conozco mis derechos y la ruta de atención (demo)", "items": items,
                  "answer_key": {"version": 1, "answers": KEY},
                  "scoring": {"version": 1, "rule": "percent_correct", "pass_percent": 70}},
    )
    return test


def _answers(rng: random.Random, skill: float) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for item, right in KEY.items():
        roll = rng.random()
        if roll < skill:
            out[item] = right
        elif roll < skill + 0.05:
            out[item] = None
        else:
            out[item] = rng.choice([c for c in "abcd" if c != right])
    return out


def _weighted_district(rng: random.Random) -> str:
    codes, weights = zip(*DISTRICTS.items())
    return rng.choices(codes, weights)[0]


@transaction.atomic
def load(stdout: Any) -> None:
    if Programme.objects.filter(name=NAME).exists():
        stdout.write("program: demo programme already there")
        return
    rng = random.Random(2025)  # noqa: S311 - synthetic data, not security
    START, END = period(timezone.localdate())  # noqa: N806
    shift = START - YEAR_ONE  # every synthetic date moves with the period

    def on(day: dt.date) -> dt.date:
        return day + shift
    ngo = Organisation.objects.filter(name=NGO).first()
    donor = Organisation.objects.filter(name=DONOR_ORG).first()
    programme = Programme.objects.create(
        name=NAME, donor="EMpower", starts_on=START, ends_on=END, completion_sessions=4,
        organisation=ngo, donor_organisation=donor,
    )
    for indicator, value, extra in [
        ("youth_reached", 1250, {}),  # grantee profile: 1,250 youth aged 10–24
        ("youth_reached", 850, {"sex": "female"}),  # … 850 female
        ("youth_reached", 400, {"sex": "male"}),  # … 400 male
        ("youth_completed", 800, {}),  # demo targets from here on
        ("adults_trained", 120, {"group": "teacher"}),
        ("adults_trained", 40, {"group": "authority"}),
        ("adults_trained", 90, {"group": "community_org"}),
        ("sessions_delivered", 380, {}),
        ("post_test_pass_share", 70, {}),
        ("mean_knowledge_gain", 20, {}),
    ]:
        Target.objects.create(programme=programme, indicator=indicator, value=value, **extra)
    test = _instrument(programme)
    staff = list(User.objects.filter(organisation=ngo, role__in=["facilitator", "coordinator"]).order_by("pk"))
    facilitator = next((u for u in staff if u.role == "facilitator"), None)

    people: list[Participant] = []
    serial = 0

    def person(group: str, age_range: tuple[int, int], district: str, school: str, on: dt.date) -> Participant:
        nonlocal serial
        serial += 1
        roll = rng.random()
        sex = "female" if roll < 0.66 else "male" if roll < 0.997 else "intersex"
        age = rng.randint(*age_range)
        birth = on - dt.timedelta(days=365 * age + rng.randint(0, 364))
        first = FIRST["female" if sex != "male" else "male"]
        named = rng.random() < 0.8  # some are registered by code only
        p = Participant(
            programme=programme, code=f"MDD-{serial:05d}", sex=sex, birth_date=birth,
            birth_date_estimated=False, age_at_registration=age, registered_on=on, group=group,
            district_id=district, organisation=school, guardian_consent=age < 18 or rng.random() < 0.1,
            name=f"{rng.choice(first)} {rng.choice(LAST)} {rng.choice(LAST)}" if named else "",
            created_by=facilitator,
        )
        p.name_hash = ""  # set by save(); bulk_create skips save, so set below
        people.append(p)
        return p

    activities: list[tuple[Activity, list[Participant], dict[str, Any]]] = []
    # Youth: 56 cohorts of a school or a youth group, 5 sessions each, March–November.
    for cohort in range(56):
        district = _weighted_district(rng)
        school = f"I.E. de demostración N.º {cohort + 1} ({district})"
        start = on(dt.date(2025, 3, 3)) + dt.timedelta(days=rng.randint(0, 220))
        ages = rng.choice([(10, 14), (12, 16), (14, 18), (15, 19), (18, 24)])
        members = [person("youth", ages, district, school, start) for _ in range(rng.randint(16, 24))]
        if rng.random() < 0.3:  # a few older participants who are not youth
            members.append(person("youth", (25, 27), district, school, start))
        for session in range(5):
            day = start + dt.timedelta(days=7 * session + rng.randint(0, 2))
            if day > END:
                break
            kind = "school_session" if ages[0] < 15 else rng.choice(["workshop", "peer_session"])
            present = [m for m in members if rng.random() < 0.8]
            activities.append((Activity(
                programme=programme, type=kind, title=f"Sesión {session + 1}: {TOPICS[session]}"[:200],
                date=day, duration_minutes=rng.choice([60, 90, 120]), district_id=district, place=school,
                target_group="youth", topics=TOPICS[session], created_by=facilitator,
            ), present, {"pre": session == 0, "post": session == 4}))
    # Adults: trainings of teachers, local authorities and community organisations (2 sessions each).
    for group, n_groups, size in [("teacher", 8, 15), ("authority", 3, 12), ("community_org", 6, 14)]:
        for g in range(n_groups):
            district = _weighted_district(rng)
            start = on(dt.date(2025, 2, 10)) + dt.timedelta(days=rng.randint(0, 260))
            place = {"teacher": "UGEL", "authority": "Municipalidad", "community_org": "Local comunal"}[group]
            members = [person(group, (24, 58), district, f"{place} ({district})", start) for _ in range(size)]
            for session in range(2):
                day = start + dt.timedelta(days=14 * session)
                present = [m for m in members if rng.random() < 0.9]
                activities.append((Activity(
                    programme=programme, type="training", title=f"Capacitación {g + 1}: lineamientos de atención",
                    date=day, duration_minutes=240, district_id=district, place=f"{place} ({district})",
                    target_group=group, topics=TOPICS[2], created_by=facilitator,
                ), present, {}))
    # Campaigns and community meetings with no registered attendance.
    for _ in range(24):
        district = _weighted_district(rng)
        day = START + dt.timedelta(days=rng.randint(30, 330))
        kind = rng.choice(["campaign", "community_meeting"])
        activities.append((Activity(
            programme=programme, type=kind, title="Feria informativa" if kind == "campaign" else "Asamblea comunal",
            date=day, duration_minutes=180, district_id=district, place="Plaza / local comunal",
            target_group="family" if kind == "community_meeting" else "youth", topics=TOPICS[1],
            created_by=facilitator,
        ), [], {}))

    from ruta.lib.fields import search_hash
    from ruta.program.models import NAME_HASH_PURPOSE, name_parts_of, normalise_name

    for p in people:
        p.name_hash = search_hash(normalise_name(p.name), NAME_HASH_PURPOSE)
        p.name_parts = name_parts_of(p.name)
    Participant.objects.bulk_create(people, batch_size=500)
    Activity.objects.bulk_create([a for a, _p, _t in activities], batch_size=500)
    through = Activity.facilitators.through
    if facilitator:
        through.objects.bulk_create([through(activity_id=a.pk, user_id=facilitator.pk) for a, _p, _t in activities])
    rows = [Attendance(activity=a, participant=p, programme=programme, date=a.date)
            for a, present, _t in activities for p in present]
    Attendance.objects.bulk_create(rows, batch_size=1000)

    results = []
    rule = {"version": 1, "scoring": test.scoring, "answer_key": test.answer_key, "instrument_version": 1}
    for a, present, tests in activities:
        for phase in ("pre", "post"):
            if not tests.get(phase):
                continue
            for p in present:
                answers = _answers(rng, 0.45 if phase == "pre" else 0.72)
                s = score_answers(test, answers)
                results.append(AssessmentResult(
                    participant=p, instrument=test, instrument_code=test.code, programme=programme, activity=a,
                    phase=phase, taken_on=a.date, answers={"version": 1, "answers": answers}, score=s.score,
                    max_score=s.max_score, score_percent=s.percent, rule=rule, recorded_by=facilitator,
                ))
    AssessmentResult.objects.bulk_create(results, batch_size=1000)
    stdout.write(f"program: {len(people)} participants, {len(activities)} activities, {len(rows)} attendance rows, "
                 f"{len(results)} test results")
