"""Build cases for tests through the real actions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from ruta.accounts.models import User
from ruta.cases import actions
from ruta.cases.models import Case, Referral
from ruta.testing.cast import BaseTestCase

NAME, FAMILY, PHONE, DOCUMENT = "Zoraida Testcase", "Ficticia Pruebas", "900123456", "41234567"


def survivor_data(**kw: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "given_names": NAME, "family_names": FAMILY, "document_type": "dni", "document_number": DOCUMENT,
        "phone": PHONE, "address": "Jr. Inventado 123", "guardian_contact": None, "birth_date": None,
        "age_years": 16, "sex": "female", "gender_identity": "", "disability": "no", "mother_tongue": "spanish",
        "district_id": "170101", "is_student": True, "unaccompanied_child": False,
    }
    data.update(kw)
    return data


def incident_data(**kw: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "occurred_on": timezone.localdate() - timedelta(days=1), "occurred_time": None,
        "date_is_approximate": False, "reported_on": timezone.localdate(), "q_penetration": True,
        "q_sexual_contact": None, "q_physical": None, "q_forced_marriage": None, "q_denial": None,
        "q_psychological": None, "vt_economic": False, "vt_psychological": False, "vt_physical": False,
        "vt_sexual": True, "aggressor_relationship": "stranger", "aggressor_sex": "male",
        "aggressor_age_group": "26-40", "perpetrator_count": "1", "aggressor_lives_with_survivor": 0,
        "first_time": 1, "previous_incidents": 0, "previously_reported": False, "place_type": "street",
        "district_id": "170101", "money_or_goods_exchanged": False, "narrative": "Texto de prueba",
    }
    data.update(kw)
    return data


def make_case(owner: User, *, consent: bool = True, survivor: dict[str, Any] | None = None,
              incident: dict[str, Any] | None = None) -> Case:
    case = actions.open_case(owner, survivor=survivor_data(**(survivor or {})),
                             incident=incident_data(**(incident or {})),
                             case={"reporter_role": "teacher", "immediate_danger": False})
    if consent:
        actions.record_consent(owner, case, given_by="guardian", child_assent=True, for_services=True,
                               for_sharing=True, for_statistics=True, given_on=timezone.localdate())
    return case


def make_referral(case: Case, actor: User, *, hours: float = 5, step: str = "health_care") -> Referral:
    return actions.refer(actor, case, step_code=step, due_at=timezone.now() + timedelta(hours=hours),
                         service_name="Centro de salud de prueba")


class CaseTestCase(BaseTestCase):
    """The named cast, with the two case roles of Alpha typed for mypy."""

    caseworker: User
    case_supervisor: User
