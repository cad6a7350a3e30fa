"""Retention and erasure: identifying data goes, every figure stays."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from ruta.audit.models import AccessEvent
from ruta.cases.models import Case, Survivor
from ruta.program.models import Attendance, Participant, Programme
from ruta.program.tests import fixtures
from ruta.retention import actions
from ruta.retention.models import ParticipantErasure, RetentionPolicy
from ruta.testing.cast import Cast, login, make_cast

D = dt.date
SECRET_NAME = "Yessenia Chumpitaz Ccori"
SECRET_BIRTH = D(2008, 11, 23)
SECRET_SCHOOL = "I.E. Ficticia Nro 4471"


def _raw_database_text() -> str:
    """Everything the database stores, read below Django's fields (as ruta/cases/tests/test_privacy.py)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.serialize().decode("utf-8", errors="replace")
    out = io.StringIO()
    with connection.cursor() as cur:
        for table in connection.introspection.table_names():
            cur.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
            for row in cur.fetchall():
                out.write(repr(row))
    return out.getvalue()


def _stored(table: str, column: str, where: str, pk: int) -> list[str]:
    with connection.cursor() as cur:
        cur.execute(f'SELECT "{column}" FROM "{table}" WHERE "{where}" = %s', [pk])  # noqa: S608 - fixed names
        return [str(v) for (v,) in cur.fetchall() if v]


# --- figures ------------------------------------------------------------------------------------

def _figures(programme: Programme) -> dict[str, Any]:
    from ruta.accounts.models import Organisation
    from ruta.cases.demo import NGO as CASES_NGO
    from ruta.program import dashboard
    from ruta.program.indicators import Filters
    from ruta.reports import donor, render
    from ruta.stats import programme as case_stats

    year = Filters.for_programme(programme)
    reports = [donor.build(programme, p) for p in [*donor.quarters(programme),
                                                    donor.parse_period(programme, None, None)]]
    for report in reports:  # the time it was made is not a figure
        report.generated_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    sheets = []
    for report in reports[-1:]:
        with zipfile.ZipFile(io.BytesIO(render.xlsx(report))) as book:
            sheets.append({n: book.read(n) for n in book.namelist() if n.startswith("xl/worksheets/")
                           or n == "xl/sharedStrings.xml"})
    org = Organisation.objects.get(name=CASES_NGO)
    tables, median, counted = case_stats.build(org)
    return {
        "dashboard": dashboard.build(programme, year, suppress=False),
        "dashboard_donor": dashboard.build(programme, year, suppress=True),
        "dashboard_district": dashboard.build(programme, Filters(year.start, year.end, province="1701"),
                                              suppress=False),
        "reports": [(r.period, r.__dict__) for r in reports],
        "xlsx": sheets,
        "case_stats": (tables, median, counted),
    }


@pytest.mark.django_db
def test_retention_erases_the_demo_and_every_figure_and_statistic_is_identical(settings) -> None:
    from ruta.accounts.demo import load_demo_cast
    from ruta.accounts.models import Organisation
    from ruta.cases import demo as cases_demo
    from ruta.program import demo as program_demo

    settings.RUTA_DEMO = True
    load_demo_cast()
    program_demo.load(io.StringIO())
    cases_demo.load(io.StringIO())
    programme = Programme.objects.get(name=program_demo.NAME)
    closed_on = timezone.now() - dt.timedelta(days=800)
    Case.objects.update(status="closed", closed_at=closed_on)
    before = _figures(programme)
    assert before["dashboard"]["headline"], "the demo has figures to compare"
    assert before["case_stats"][2] > 0, "some demo incidents count in the case statistics"
    for org in Organisation.objects.all():
        RetentionPolicy.objects.create(organisation=org, closed_cases_months=24, participants_months=6)
    today = programme.ends_on + dt.timedelta(days=400)

    outcomes = actions.apply_retention(for_real=True, today=today)

    assert sum(o.participants for o in outcomes) == Participant.all_objects.count() > 1000
    assert not Participant.all_objects.filter(erased_at__isnull=True).exists()
    assert {p.name for p in Participant.all_objects.only("name")} == {""}
    assert {h.name for h in Participant.history.model.objects.only("name")} <= {""}
    assert not Participant.all_objects.exclude(name_hash="").exists()
    assert Survivor.objects.filter(erased_at__isnull=True).count() == 0
    after = _figures(programme)
    for key in before:
        assert after[key] == before[key], key


# --- one participant, four eyes -----------------------------------------------------------------

@pytest.fixture
def cast(db: Any) -> Iterator[Cast]:
    with translation.override("en"):
        yield make_cast()


def _secret_person(cast: Cast) -> Participant:
    act, _person = fixtures.attended(cast)
    person = fixtures.participant(cast, "P-SECRET", name="Yesenia Chumpitas", birth=SECRET_BIRTH)
    person.name = SECRET_NAME  # a corrected name: a second history row holds the first spelling
    person.organisation = SECRET_SCHOOL
    person.save()
    Attendance.objects.create(activity=act, participant=person)
    later = fixtures.activity(cast, day=D(2025, 6, 2))
    Attendance.objects.create(activity=later, participant=person)
    return Participant.objects.get(pk=person.pk)


def test_an_approved_erasure_leaves_no_copy_of_the_name_or_birth_date_in_the_raw_database(cast: Cast) -> None:
    person = _secret_person(cast)
    first_age, first_seen = person.first_age, person.first_attended_on
    assert first_seen is not None and first_age == 16
    assert Participant.history.model.objects.filter(id=person.pk).count() >= 2
    ciphertexts = (_stored("program_participant", "name", "id", person.pk)
                   + _stored("program_historicalparticipant", "name", "id", person.pk))
    name_hash = person.name_hash
    assert len(ciphertexts) >= 3 and name_hash
    raw = _raw_database_text()
    assert all(c in raw for c in ciphertexts) and name_hash in raw and SECRET_SCHOOL in raw
    births = [SECRET_BIRTH.isoformat(), repr(SECRET_BIRTH)]  # SQLite's bytes; PostgreSQL rows read by Python
    assert any(b in raw for b in births)

    req = actions.request_participant_erasure(cast.alpha["coordinator"], person)
    assert actions.decide_participant_erasure(cast.alpha["me_officer"], req, approve=True) == 1

    raw = _raw_database_text()
    for secret in [*ciphertexts, name_hash, SECRET_SCHOOL, *births]:
        assert secret not in raw, secret
    person.refresh_from_db()
    assert (person.name, person.organisation, person.name_hash) == ("", "", "")
    assert person.name_parts is None and person.school_id is None  # the similar-person search finds nothing
    assert person.erased_at is not None and person.birth_date_estimated
    assert (person.first_age, person.first_attended_on, person.sessions_attended) == (first_age, first_seen, 2)
    assert person.age_on(first_seen) == first_age
    for row in Participant.history.model.objects.filter(id=person.pk):
        assert (row.name, row.organisation, row.birth_date) == ("", "", person.birth_date)


def test_records_merged_into_the_person_are_erased_with_them(cast: Cast) -> None:
    person = _secret_person(cast)
    copy = fixtures.participant(cast, "P-COPY", name=SECRET_NAME, birth=SECRET_BIRTH)
    Participant.all_objects.filter(pk=copy.pk).update(merged_into=person)
    req = actions.request_participant_erasure(cast.alpha["coordinator"], person)
    assert actions.decide_participant_erasure(cast.alpha["me_officer"], req, approve=True) == 2
    copy.refresh_from_db()
    assert copy.name == "" and copy.erased_at is not None


def test_the_person_who_asked_cannot_approve(cast: Cast) -> None:
    person = _secret_person(cast)
    req = actions.request_participant_erasure(cast.alpha["coordinator"], person)
    with pytest.raises(actions.ErasureError, match="another person"):
        actions.decide_participant_erasure(cast.alpha["coordinator"], req, approve=True)
    person.refresh_from_db()
    assert person.name == SECRET_NAME and person.erased_at is None
    assert ParticipantErasure.objects.get(pk=req.pk).decision == "pending"


def test_a_request_is_decided_once(cast: Cast) -> None:
    person = _secret_person(cast)
    req = actions.request_participant_erasure(cast.alpha["coordinator"], person)
    actions.decide_participant_erasure(cast.alpha["me_officer"], req, approve=False)
    stale = ParticipantErasure.objects.get(pk=req.pk)
    stale.decision = "pending"  # a second page still showing the button
    with pytest.raises(actions.ErasureError, match="already decided"):
        actions.decide_participant_erasure(cast.alpha["me_officer"], stale, approve=True)
    person.refresh_from_db()
    assert person.name == SECRET_NAME


def test_a_second_request_while_one_waits_is_refused(cast: Cast) -> None:
    person = _secret_person(cast)
    actions.request_participant_erasure(cast.alpha["coordinator"], person)
    with pytest.raises(actions.ErasureError, match="already waiting"):
        actions.request_participant_erasure(cast.alpha["coordinator"], person)


@pytest.mark.parametrize("role", ["facilitator", "me_officer", "donor", "case_supervisor"])
def test_only_a_coordinator_asks(cast: Cast, role: str) -> None:
    person = _secret_person(cast)
    with pytest.raises(actions.ErasureError):
        actions.request_participant_erasure(cast.alpha[role], person)
    assert not ParticipantErasure.objects.exists()


def test_another_organisations_coordinator_cannot_decide(cast: Cast) -> None:
    person = _secret_person(cast)
    req = actions.request_participant_erasure(cast.alpha["coordinator"], person)
    with pytest.raises(actions.ErasureError):
        actions.decide_participant_erasure(cast.beta["coordinator"], req, approve=True)


def test_erasure_is_audited_without_personal_data(cast: Cast) -> None:
    person = _secret_person(cast)
    start = AccessEvent.objects.count()
    req = actions.request_participant_erasure(cast.alpha["coordinator"], person)
    actions.decide_participant_erasure(cast.alpha["me_officer"], req, approve=True)
    events = list(AccessEvent.objects.order_by("id")[start:].values_list("action", "actor_username", "object_id",
                                                                        "detail"))
    assert [(a, u, o) for a, u, o, _d in events] == [
        ("participant.erasure_requested", "carla", str(person.pk)),
        ("participant.erasure_decided", "mateo", str(person.pk)),
        ("participant.erased", "mateo", str(person.pk)),
    ]
    assert events[2][3] == {"records": 1, "requested_by": cast.alpha["coordinator"].pk}
    assert SECRET_NAME not in repr(events) and "P-SECRET" not in repr(events)


# --- the page ---------------------------------------------------------------------------------------

def _client(user: Any) -> Client:
    client = Client()
    login(client, user)
    return client


def test_the_page_takes_a_request_and_another_person_approves_it(cast: Cast) -> None:
    person = _secret_person(cast)
    prog = str(fixtures.programme(cast).pk)
    coordinator = _client(cast.alpha["coordinator"])
    r = coordinator.post(reverse("retention:erasure_request"), {"programme": prog, "code": "P-SECRET"})
    assert r.status_code == 302
    req = ParticipantErasure.objects.get()
    page = coordinator.get(reverse("retention:erasures")).content.decode()
    assert "P-SECRET" in page and reverse("retention:erasure_decide", kwargs={"pk": req.pk}) not in page
    r = coordinator.post(reverse("retention:erasure_decide", kwargs={"pk": req.pk}), {"decision": "approve"})
    assert r.status_code == 302 and Participant.objects.get(pk=person.pk).erased_at is None
    officer = _client(cast.alpha["me_officer"])
    assert reverse("retention:erasure_decide", kwargs={"pk": req.pk}) in officer.get(
        reverse("retention:erasures")).content.decode()
    r = officer.post(reverse("retention:erasure_decide", kwargs={"pk": req.pk}), {"decision": "approve"})
    assert r.status_code == 302 and Participant.objects.get(pk=person.pk).erased_at is not None


@pytest.mark.parametrize("data", [
    {"programme": "", "code": "P-SECRET"}, {"programme": "99999999999999999999", "code": "P-SECRET"},
    {"programme": "-1", "code": "P-SECRET"}])
def test_a_broken_or_foreign_programme_is_404(cast: Cast, data: dict[str, str]) -> None:
    _secret_person(cast)
    r = _client(cast.alpha["coordinator"]).post(reverse("retention:erasure_request"), data)
    assert r.status_code == 404


def test_another_organisations_ids_are_404(cast: Cast) -> None:
    person = _secret_person(cast)
    prog = str(fixtures.programme(cast).pk)
    beta = _client(cast.beta["coordinator"])
    assert beta.post(reverse("retention:erasure_request"), {"programme": prog, "code": "P-SECRET"}).status_code == 404
    req = actions.request_participant_erasure(cast.alpha["coordinator"], person)
    r = beta.post(reverse("retention:erasure_decide", kwargs={"pk": req.pk}), {"decision": "approve"})
    assert r.status_code == 404
    assert Participant.objects.get(pk=person.pk).erased_at is None


def test_an_unknown_code_is_a_400_in_spanish(cast: Cast) -> None:
    _secret_person(cast)
    client = _client(cast.alpha["coordinator"])
    with translation.override("es-pe"):
        url = reverse("retention:erasure_request")
    r = client.post(url, {"programme": str(fixtures.programme(cast).pk), "code": "X" * 5000})
    assert r.status_code == 400
    r = client.post(url, {"programme": str(fixtures.programme(cast).pk), "code": "P-NOBODY"})
    assert r.status_code == 400 and "Ningún participante" in r.content.decode()
    assert not ParticipantErasure.objects.exists()


# --- retention periods ------------------------------------------------------------------------------

def _closed_case(cast: Cast, days_ago: int) -> Case:
    from ruta.cases.tests.factories import make_case

    case = make_case(cast.alpha["caseworker"])
    Case.objects.filter(pk=case.pk).update(status="closed", closed_at=timezone.now() - dt.timedelta(days=days_ago))
    return Case.objects.select_related("survivor").get(pk=case.pk)


def test_a_dry_run_counts_and_changes_nothing(cast: Cast) -> None:
    _secret_person(cast)
    old, recent = _closed_case(cast, 400), _closed_case(cast, 10)
    RetentionPolicy.objects.create(organisation=cast.alpha_org, closed_cases_months=6, participants_months=3)
    events = AccessEvent.objects.count()
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    text = out.getvalue()
    assert "closed cases due (dry run, nothing changed): 1; participants due (dry run, nothing changed): 2" in text
    assert SECRET_NAME not in text and "P-SECRET" not in text and old.code not in text
    assert AccessEvent.objects.count() == events
    assert not Participant.all_objects.filter(erased_at__isnull=False).exists()
    assert not Survivor.objects.filter(erased_at__isnull=False).exists()
    assert recent.survivor.erased_at is None


def test_for_real_erases_what_is_past_the_period_and_audits(cast: Cast) -> None:
    person = _secret_person(cast)
    old, recent = _closed_case(cast, 400), _closed_case(cast, 10)
    open_case = _closed_case(cast, 400)
    Case.objects.filter(pk=open_case.pk).update(status="reopened", closed_at=None)
    RetentionPolicy.objects.create(organisation=cast.alpha_org, closed_cases_months=6, participants_months=3)
    start = AccessEvent.objects.count()
    call_command("apply_retention", "--for-real", stdout=io.StringIO())
    assert Survivor.objects.get(pk=old.survivor_id).erased_at is not None
    assert Survivor.objects.get(pk=old.survivor_id).given_names is None
    assert Survivor.objects.get(pk=recent.survivor_id).erased_at is None
    assert Survivor.objects.get(pk=open_case.survivor_id).erased_at is None
    assert Participant.all_objects.get(pk=person.pk).erased_at is not None
    actions_seen = list(AccessEvent.objects.order_by("id")[start:].values_list("action", "object_id"))
    assert ("retention.erase_case", str(old.pk)) in actions_seen
    assert ("retention.erase_participants", str(fixtures.programme(cast).pk)) in actions_seen
    assert actions_seen[-1][0] == "retention.applied"
    # A second run finds nothing more.
    assert all(o.cases == o.participants == 0 for o in actions.apply_retention(for_real=True))


def test_the_programme_must_have_ended_a_full_period_ago(cast: Cast) -> None:
    person = _secret_person(cast)
    ends = fixtures.programme(cast).ends_on  # 2025-12-31
    RetentionPolicy.objects.create(organisation=cast.alpha_org, participants_months=12)
    actions.apply_retention(for_real=True, today=D(2026, 12, 31))
    assert Participant.all_objects.get(pk=person.pk).erased_at is None
    actions.apply_retention(for_real=True, today=ends.replace(year=ends.year + 1) + dt.timedelta(days=1))
    assert Participant.all_objects.get(pk=person.pk).erased_at is not None


@pytest.mark.parametrize("periods", [None, {}, {"closed_cases_months": None, "participants_months": None}])
def test_the_daily_job_does_nothing_while_retention_is_off(cast: Cast, periods: dict[str, Any] | None) -> None:
    from ruta.jobs.schedule import SCHEDULE
    from ruta.retention.tasks import apply_retention_task

    assert any(p.task == "ruta.retention.tasks.apply_retention_task" and p.every == dt.timedelta(days=1)
               for p in SCHEDULE)
    person = _secret_person(cast)
    old = _closed_case(cast, 4000)
    if periods is not None:
        RetentionPolicy.objects.create(organisation=cast.alpha_org, **periods)
    events = AccessEvent.objects.count()
    assert apply_retention_task.func() == {"cases": 0, "participants": 0}
    assert Participant.all_objects.get(pk=person.pk).erased_at is None
    assert Survivor.objects.get(pk=old.survivor_id).erased_at is None
    assert AccessEvent.objects.count() == events


def test_months_before_keeps_to_the_calendar() -> None:
    assert actions.months_before(D(2026, 3, 31), 1) == D(2026, 2, 28)
    assert actions.months_before(D(2026, 1, 15), 13) == D(2024, 12, 15)
    assert actions.months_before(D(2024, 2, 29), 12) == D(2023, 2, 28)


def test_a_stand_in_birth_date_keeps_the_age_at_first_attendance() -> None:
    from ruta.program.models import age_on

    for birth, first in [(D(2008, 2, 29), D(2025, 2, 28)), (D(2010, 12, 31), D(2025, 1, 1)),
                         (D(2000, 6, 15), D(2024, 2, 29))]:
        stand_in = actions.stand_in_birth_date(birth, first, None, D(2025, 1, 1))
        assert age_on(stand_in, first) == age_on(birth, first)
    assert age_on(actions.stand_in_birth_date(D(2009, 7, 1), None, None, D(2025, 3, 1)), D(2025, 3, 1)) == 15


def test_the_admin_home_warns_while_retention_is_off(cast: Cast) -> None:
    admin = _client(cast.alpha["admin"])
    page = admin.get("/admin/", HTTP_ACCEPT_LANGUAGE="es-pe").content.decode()
    assert "La conservación limitada está desactivada para: Alpha, Beta." in page
    RetentionPolicy.objects.create(organisation=cast.alpha_org, closed_cases_months=60, participants_months=60)
    RetentionPolicy.objects.create(organisation=cast.beta_org, closed_cases_months=60)
    assert "desactivada para: Beta." in admin.get("/admin/", HTTP_ACCEPT_LANGUAGE="es-pe").content.decode()
    RetentionPolicy.objects.filter(organisation=cast.beta_org).update(participants_months=12)
    assert "desactivada" not in admin.get("/admin/", HTTP_ACCEPT_LANGUAGE="es-pe").content.decode()


def test_setting_a_period_in_the_admin_is_audited(cast: Cast) -> None:
    admin = _client(cast.alpha["admin"])
    r = admin.post(reverse("admin:retention_retentionpolicy_add"),
                   {"organisation": cast.alpha_org.pk, "closed_cases_months": "60", "participants_months": ""})
    assert r.status_code == 302
    assert RetentionPolicy.objects.get().closed_cases_months == 60
    event = AccessEvent.objects.order_by("-id").first()
    assert event is not None and event.action == "retention.period_set"
    r = admin.post(reverse("admin:retention_retentionpolicy_add"),
                   {"organisation": cast.beta_org.pk, "closed_cases_months": "-3", "participants_months": "0"})
    assert r.status_code == 200 and RetentionPolicy.objects.count() == 1
