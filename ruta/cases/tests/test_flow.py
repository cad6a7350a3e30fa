"""A case worker opens a case from a disclosure, follows every referral to attended and
closes with a supervisor's approval — in Spanish and in English."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ruta.cases.models import Case, Referral
from ruta.testing.cast import login, make_cast


def open_case_data(**kw: Any) -> dict[str, Any]:
    when = timezone.localtime() - timedelta(hours=20)
    data = {
        "c-reporter_role": "teacher",
        "s-given_names": "Flor Ficticia", "s-family_names": "Pruebas Demo", "s-document_type": "dni",
        "s-document_number": "48887776", "s-phone": "900555444", "s-address": "Calle Falsa 1",
        "s-birth_date": (timezone.localdate() - timedelta(days=15 * 365 + 30)).isoformat(), "s-sex": "female",
        "s-disability": "no", "s-mother_tongue": "spanish", "s-district": "170101", "s-is_student": "on",
        "i-occurred_on": when.date().isoformat(), "i-occurred_time": when.strftime("%H:%M"),
        "i-reported_on": timezone.localdate().isoformat(), "i-q_penetration": "True", "i-violence_types": ["sexual"],
        "i-aggressor_relationship": "stranger", "i-aggressor_sex": "male", "i-aggressor_age_group": "26-40",
        "i-perpetrator_count": "1", "i-aggressor_lives_with_survivor": "0", "i-previous_incidents": "0",
        "i-place_type": "street", "i-district": "170101", "i-narrative": "Relato de prueba",
        "k-given_by": "guardian", "k-child_assent": "on", "k-for_services": "on", "k-for_sharing": "on",
        "k-for_statistics": "on", "k-given_on": timezone.localdate().isoformat(),
    }
    data.update(kw)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "words"), [("", ("Casos", "Hoy", "Derivaciones")),
                                               ("/en", ("Cases", "Today", "Referrals"))])
def test_open_follow_and_close_a_case(prefix: str, words: tuple[str, str, str]) -> None:
    cast = make_cast()
    worker, supervisor = Client(), Client()
    login(worker, cast.alpha["caseworker"])
    login(supervisor, cast.alpha["case_supervisor"])

    page = worker.get(f"{prefix}/casos/nuevo/")
    assert page.status_code == 200
    r = worker.post(f"{prefix}/casos/nuevo/", open_case_data())
    assert r.status_code == 302, r.content.decode()[:3000]
    case = Case.objects.get()
    assert r["Location"] == f"{prefix}/casos/{case.code}/propuesta/"
    incident = case.incidents.get()
    assert incident.gbv_type == "rape" and incident.ctx_child_sexual_abuse and incident.survivor_age == 15

    # Opening ran the pathway: the emergency kit is proposed with the 72-hour deadline.
    proposal = worker.get(r["Location"])
    assert proposal.status_code == 200
    form = proposal.context["form"]
    codes = [s["code"] for s in form.steps]
    assert "health_emergency_kit" in codes and "report_to_authorities" in codes
    kit = next(s for s in form.steps if s["code"] == "health_emergency_kit")
    assert kit["deadline_hours"] in (51, 52)
    post: dict[str, Any] = {}
    for step in form.steps:
        code = step["code"]
        post[f"take_{code}"] = "on"
        post[f"service_{code}"] = str(step["services"][0]["id"]) if step["services"] else ""
        due = step["due_at"] or timezone.now() + timedelta(days=7)
        post[f"due_{code}"] = timezone.localtime(due).strftime("%Y-%m-%dT%H:%M")
    r = worker.post(r["Location"], post)
    assert r.status_code == 302, r.content.decode()[:3000]
    refs = list(case.referrals.all())
    assert len(refs) == len(codes)
    kit_ref = next(x for x in refs if x.step_code == "health_emergency_kit")
    assert abs((kit_ref.due_at - (incident.occurred_at() + timedelta(hours=72))).total_seconds()) < 3600
    assert kit_ref.service_id is not None

    # "Today" shows the kit countdown; the case page its timeline.
    today = worker.get(f"{prefix}/casos/hoy/")
    assert today.status_code == 200 and case.code.encode() in today.content
    assert b"data-deadline" in today.content
    detail = worker.get(f"{prefix}/casos/{case.code}/")
    for w in words[2:]:
        assert w.encode() in detail.content

    # Follow every referral to attended.
    for ref in refs:
        url = f"{prefix}/casos/{case.code}/derivaciones/{ref.pk}/"
        r = worker.post(url, {"version": ref.version, "status": "attended", "outcome": "Atendida",
                              "due_at": timezone.localtime(ref.due_at).strftime("%Y-%m-%dT%H:%M")})
        assert r.status_code == 302, r.content.decode()[:2000]
    assert not Referral.objects.filter(case=case).exclude(status="attended").exists()

    r = worker.post(f"{prefix}/casos/{case.code}/cierre/", {"reason": "needs_met", "note": ""})
    assert r.status_code == 302
    assert case.code.encode() in supervisor.get(f"{prefix}/casos/hoy/").content
    r = supervisor.post(f"{prefix}/casos/{case.code}/cierre/decidir/", {"approve": "yes", "note": "ok"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == "closed"
    listing = worker.get(f"{prefix}/casos/", {"status": "closed"})
    assert case.code.encode() in listing.content and words[0].encode() in listing.content


@pytest.mark.django_db
def test_the_open_form_reports_errors_in_the_users_language_and_saves_nothing() -> None:
    cast = make_cast()
    c = Client()
    login(c, cast.alpha["caseworker"])
    r = c.post("/casos/nuevo/", open_case_data(**{"i-q_penetration": "", "i-q_physical": "True",
                                                  "s-birth_date": "", "k-child_assent": ""}))
    assert r.status_code == 200
    assert b"Responda las preguntas en orden" in r.content
    assert b"Indique la fecha de nacimiento" in r.content
    assert not Case.objects.exists()
    r = c.post("/en/casos/nuevo/", open_case_data(**{"k-child_assent": ""}))
    assert r.status_code == 200 and b"assent" in r.content
    assert not Case.objects.exists()
