"""Demo cases for the NGO's case worker ``gestora`` and supervisor ``supervisora``.

Every person here is invented; names read "(ficticia)" so nobody mistakes them for real
people. Dates are set relative to the moment of loading, so "today" always has work.
Idempotent: a case whose code exists is left alone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from ruta.accounts.demo import NGO
from ruta.accounts.models import User
from ruta.cases import actions
from ruta.cases.models import Case, Referral

# The names and phones the raw-database test looks for.
SURVIVORS = [
    ("Rosa Elena", "Quispe Demo (ficticia)", "70000001", "900000101"),
    ("Milagros", "Huamán Ejemplo (ficticia)", "70000002", "900000102"),
    ("Yesenia", "Mamani Prueba (ficticia)", "70000003", "900000103"),
    ("Lucero", "Condori Muestra (ficticia)", "70000004", "900000104"),
    ("Kevin Jair", "Ccahua Demo (ficticio)", "70000005", "900000105"),
    ("Sonia", "Tito Ejemplo (ficticia)", "70000006", "900000106"),
]


def _service(kind: str) -> Any:
    try:
        from ruta.directory.models import Service
    except ImportError:  # pragma: no cover - the directory ships with Ruta
        return None
    return Service.objects.filter(kind=kind, active=True).order_by("name").first()


def _incident(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "occurred_time": None, "date_is_approximate": False, "q_penetration": False, "q_sexual_contact": False,
        "q_physical": False, "q_forced_marriage": False, "q_denial": False, "q_psychological": False,
        "vt_economic": False, "vt_psychological": False, "vt_physical": False, "vt_sexual": False,
        "aggressor_sex": "male", "aggressor_age_group": "26-40", "perpetrator_count": "1",
        "aggressor_lives_with_survivor": 0, "first_time": 1, "previous_incidents": 0, "previously_reported": False,
        "money_or_goods_exchanged": False, "district_id": "170101",
    }
    base.update(kw)
    return base


def _survivor(i: int, **kw: Any) -> dict[str, Any]:
    given, family, doc, phone = SURVIVORS[i]
    base: dict[str, Any] = {
        "given_names": given, "family_names": family, "document_type": "dni", "document_number": doc,
        "phone": phone, "address": f"Jr. Ficticio {100 + i}, Puerto Maldonado (demo)", "guardian_contact": None,
        "birth_date": None, "age_years": None, "sex": "female", "gender_identity": "", "disability": "no",
        "mother_tongue": "spanish", "district_id": "170101", "is_student": False, "unaccompanied_child": False,
    }
    base.update(kw)
    return base


def _born(years: int, today: date) -> date:
    return today.replace(year=today.year - years) - timedelta(days=40)


def _refer(actor: User, case: Case, steps: list[tuple[str, str, timedelta, bool]], now: datetime,
           override: str = "") -> list[Referral]:
    out = []
    for step, kind, due, mandatory in steps:
        service = _service(kind)
        out.append(actions.refer(actor, case, step_code=step, due_at=now + due, service=service,
                                 institution=kind, mandatory=mandatory,
                                 rules_version="demo", override_reason=override))
    return out


@transaction.atomic
def load(stdout: Any) -> None:
    worker = User.objects.filter(username="gestora", organisation__name=NGO).first()
    supervisor = User.objects.filter(username="supervisora", organisation__name=NGO).first()
    if worker is None or supervisor is None:
        stdout.write("cases: demo users missing, no demo cases loaded")
        return
    now = timezone.now()
    today = timezone.localdate()
    made = 0

    def case(code: str) -> bool:
        return not Case.objects.filter(code=code).exists()

    # 1. A 15-year-old student raped 30 hours ago: the kit window is open.
    if case("C-DEMO001"):
        when = timezone.localtime(now - timedelta(hours=30))
        c = actions.open_case(worker, code="C-DEMO001", survivor=_survivor(
            0, birth_date=_born(15, today), is_student=True, district_id="170201",
            guardian_contact="Madre: Carmen (ficticia) 900000201"),
            incident=_incident(occurred_on=when.date(), occurred_time=when.time().replace(second=0, microsecond=0),
                               q_penetration=True, vt_sexual=True, vt_physical=True, aggressor_relationship="stranger",
                               aggressor_age_group="18-25", place_type="mining_camp", district_id="170201",
                               narrative="Relato de demostración: texto ficticio."),
            case={"reporter_role": "teacher", "immediate_danger": False,
                                    "opened_at": now - timedelta(hours=26)})
        actions.record_consent(worker, c, given_by="guardian", child_assent=True, for_services=True,
                               for_sharing=True, for_statistics=True, given_on=today)
        _refer(worker, c, [("health_emergency_kit", "health", timedelta(hours=41), True),
                           ("report_to_authorities", "police", timedelta(hours=-2), True),
                           ("single_interview", "prosecutor", timedelta(days=5), True),
                           ("school_report", "school", timedelta(hours=20), True)], now)
        made += 1
    # 2. Intimate partner violence, severe risk on the official form; protection measures overdue.
    if case("C-DEMO002"):
        c = actions.open_case(worker, code="C-DEMO002", survivor=_survivor(1, birth_date=_born(22, today),
                                                                           mother_tongue="quechua"),
                              incident=_incident(occurred_on=today - timedelta(days=3), q_physical=True,
                                                 vt_physical=True, vt_psychological=True,
                                                 aggressor_relationship="partner", aggressor_lives_with_survivor=1,
                                                 first_time=0, previous_incidents=4, place_type="survivor_home"),
                              case={"reporter_role": "health_worker", "immediate_danger": True,
                                    "opened_at": now - timedelta(days=2)})
        actions.set_risk_level(worker, c, 3, today - timedelta(days=2))
        actions.record_consent(worker, c, given_by="survivor", child_assent=False, for_services=True,
                               for_sharing=True, for_statistics=False, given_on=today - timedelta(days=2))
        refs = _refer(worker, c, [("cem_care", "cem", timedelta(days=-1), True),
                                  ("protection_measures", "court", timedelta(hours=-20), True),
                                  ("mental_health_followup", "mental_health", timedelta(days=10), False)], now)
        actions.update_referral(worker, refs[0], expected_version=1, status="accepted", due_at=refs[0].due_at,
                                outcome="Cita asignada (demo).")
        actions.record_followup(worker, c, done_on=today - timedelta(days=1), note="Llamada de seguimiento (demo).",
                                next_at=now + timedelta(hours=3))
        made += 1
    # 3. A 13-year-old sexually assaulted by a schoolmate: referrals attended, follow-up due today.
    if case("C-DEMO003"):
        c = actions.open_case(worker, code="C-DEMO003", survivor=_survivor(2, birth_date=_born(13, today),
                                                                           is_student=True, mother_tongue="spanish"),
                              incident=_incident(occurred_on=today - timedelta(days=12), date_is_approximate=True,
                                                 q_sexual_contact=True, vt_sexual=True,
                                                 aggressor_relationship="schoolmate",
                                                 aggressor_age_group="12-17", place_type="school"),
                              case={"reporter_role": "teacher", "immediate_danger": False,
                                    "opened_at": now - timedelta(days=11)})
        actions.record_consent(worker, c, given_by="guardian", child_assent=True, for_services=True,
                               for_sharing=True, for_statistics=True, given_on=today - timedelta(days=10))
        refs = _refer(worker, c, [("health_care", "health", timedelta(days=-8), False),
                                  ("child_protection", "child_protection", timedelta(days=-6), True)], now)
        for r in refs:
            actions.update_referral(worker, r, expected_version=1, status="attended", due_at=r.due_at,
                                    outcome="Atendida (demo).")
        actions.record_followup(worker, c, done_on=today - timedelta(days=7), note="Visita al colegio (demo).",
                                next_at=now - timedelta(hours=1))
        made += 1
    # 4. A 17-year-old about to be married off: no consent yet, the supervisor authorises.
    if case("C-DEMO004"):
        c = actions.open_case(worker, code="C-DEMO004", survivor=_survivor(3, birth_date=_born(17, today),
                                                                           district_id="170104",
                                                                           mother_tongue="quechua"),
                              incident=_incident(occurred_on=today - timedelta(days=1), q_forced_marriage=True,
                                                 vt_psychological=True, aggressor_relationship="parent_or_caregiver",
                                                 aggressor_lives_with_survivor=1, aggressor_age_group="41-60",
                                                 place_type="survivor_home", district_id="170104"),
                              case={"reporter_role": "community", "immediate_danger": False,
                                    "opened_at": now - timedelta(hours=20)})
        actions.set_risk_level(worker, c, 2, today)
        _refer(supervisor, c, [("child_protection", "child_protection", timedelta(hours=10), True)], now,
               override="El padre es el agresor y no puede consentir (demo).")
        made += 1
    # 5. Psychological abuse of a young man: all referrals ended, closure waiting for approval.
    if case("C-DEMO005"):
        c = actions.open_case(worker, code="C-DEMO005", survivor=_survivor(4, birth_date=_born(19, today), sex="male"),
                              incident=_incident(occurred_on=today - timedelta(days=40), q_psychological=True,
                                                 vt_psychological=True, aggressor_relationship="acquaintance",
                                                 place_type="online"),
                              case={"reporter_role": "self", "immediate_danger": False,
                                    "opened_at": now - timedelta(days=39)})
        actions.record_consent(worker, c, given_by="survivor", child_assent=False, for_services=True,
                               for_sharing=True, for_statistics=True, given_on=today - timedelta(days=39))
        refs = _refer(worker, c, [("mental_health_followup", "mental_health", timedelta(days=-20), False)], now)
        actions.update_referral(worker, refs[0], expected_version=1, status="attended", due_at=refs[0].due_at,
                                outcome="Cinco sesiones completadas (demo).")
        actions.request_closure(worker, c, reason="needs_met", note="Plan cumplido (demo).")
        made += 1
    # 6. Denial of resources: closed with the supervisor's approval.
    if case("C-DEMO006"):
        c = actions.open_case(worker, code="C-DEMO006", survivor=_survivor(5, age_years=24, district_id="170301"),
                              incident=_incident(occurred_on=today - timedelta(days=90), q_denial=True,
                                                 vt_economic=True, aggressor_relationship="ex_partner",
                                                 place_type="survivor_home", district_id="170301"),
                              case={"reporter_role": "family", "immediate_danger": False,
                                    "opened_at": now - timedelta(days=88)})
        actions.record_consent(worker, c, given_by="survivor", child_assent=False, for_services=True,
                               for_sharing=True, for_statistics=True, given_on=today - timedelta(days=88))
        refs = _refer(worker, c, [("legal_aid", "legal_aid", timedelta(days=-60), False)], now)
        actions.update_referral(worker, refs[0], expected_version=1, status="attended", due_at=refs[0].due_at,
                                outcome="Demanda de alimentos presentada (demo).")
        closure = actions.request_closure(worker, c, reason="needs_met", note="")
        actions.decide_closure(supervisor, closure, approve=True, note="Aprobado (demo).")
        made += 1
    stdout.write(f"cases: {made} demo cases loaded")
