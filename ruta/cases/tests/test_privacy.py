from __future__ import annotations

import io

import pytest
from django.db import connection
from django.urls import reverse

from ruta.cases import actions
from ruta.cases.demo import SURVIVORS
from ruta.cases.models import Incident, Survivor
from ruta.cases.tests.factories import DOCUMENT, NAME, PHONE, make_case, make_referral


def _raw_database_text() -> str:
    """Everything the database stores, read below Django's fields (no decryption)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.serialize().decode("utf-8", errors="replace")  # the file's bytes
    out = io.StringIO()
    with connection.cursor() as cur:
        for table in connection.introspection.table_names():
            cur.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
            for row in cur.fetchall():
                out.write(repr(row))
    return out.getvalue()


@pytest.mark.django_db
def test_raw_database_has_none_of_the_demo_survivors_names_or_phones(settings, django_user_model) -> None:
    from ruta.accounts.demo import load_demo_cast
    from ruta.cases import demo

    settings.RUTA_DEMO = True
    load_demo_cast()
    demo.load(io.StringIO())
    assert Survivor.objects.count() == len(SURVIVORS)
    # The data is there, readable through Ruta …
    assert {s.given_names for s in Survivor.objects.all()} == {g for g, _f, _d, _p in SURVIVORS}
    raw = _raw_database_text()
    assert "C-DEMO001" in raw  # … and the raw read does see the database's content,
    for given, family, document, phone in SURVIVORS:  # but never a name, phone or document in clear.
        family = family.split(" (")[0]
        # A given name alone can be a public place's name too ("Señor de los Milagros"): the
        # directory's public facilities are in the same file.
        for secret in (f"{given} {family}", family, document, phone):
            assert secret not in raw, secret
    assert "Relato de demostración" not in raw
    assert "Jr. Ficticio" not in raw


def _erase(requester, approver, case) -> bool | None:  # type: ignore[no-untyped-def]
    return actions.decide_erasure(approver, actions.request_erasure(requester, case), approve=True)


@pytest.mark.django_db
def test_erasure_keeps_a_deidentified_incident_only_with_statistics_consent(django_user_model) -> None:
    from ruta.testing.cast import make_cast

    cast = make_cast()
    worker, supervisor = cast.alpha["caseworker"], cast.alpha["case_supervisor"]
    kept = make_case(worker)  # consent includes statistics
    ref = make_referral(kept, worker)
    actions.update_referral(worker, ref, expected_version=1, status="attended", due_at=ref.due_at, outcome="fine")
    dropped = make_case(worker, consent=False)
    assert _erase(worker, supervisor, kept) is True
    assert _erase(worker, supervisor, dropped) is False
    s = Survivor.objects.get(pk=kept.survivor_id)
    assert (s.given_names, s.family_names, s.document_number, s.phone, s.document_hash) == (None, None, None, None, "")
    assert s.erased_at is not None
    inc = Incident.objects.get(case=kept)
    assert inc.narrative is None and inc.gbv_type == "rape" and inc.survivor_code == s.code
    assert inc.survivor_age == 16
    assert not Incident.objects.filter(case=dropped).exists()
    ref.refresh_from_db()
    assert ref.outcome is None
    raw = _raw_database_text()
    assert NAME not in raw and PHONE not in raw and DOCUMENT not in raw


@pytest.mark.django_db
def test_nobody_erases_alone(django_user_model) -> None:
    from ruta.testing.cast import make_cast

    cast = make_cast()
    worker, supervisor = cast.alpha["caseworker"], cast.alpha["case_supervisor"]
    case = make_case(worker)
    req = actions.request_erasure(supervisor, case)
    with pytest.raises(actions.CaseActionError, match="otra persona"):
        actions.decide_erasure(supervisor, req, approve=True)  # the one who asked
    with pytest.raises(actions.CaseActionError, match="supervisora"):
        actions.decide_erasure(worker, req, approve=True)  # not a supervisor
    with pytest.raises(actions.CaseActionError, match="supervisora"):
        actions.decide_erasure(cast.beta["case_supervisor"], req, approve=True)  # another organisation
    with pytest.raises(actions.CaseActionError, match="esperando"):
        actions.request_erasure(worker, case)
    case.survivor.refresh_from_db()
    assert case.survivor.given_names == NAME and case.survivor.erased_at is None
    # A request the worker makes, the supervisor may refuse: the data stays.
    other = make_case(worker)
    refused = actions.request_erasure(worker, other)
    assert actions.decide_erasure(supervisor, refused, approve=False) is None
    other.survivor.refresh_from_db()
    assert other.survivor.given_names == NAME


@pytest.mark.django_db
def test_erasure_is_requested_on_one_page_and_approved_by_another_person(client) -> None:
    from ruta.testing.cast import login, make_cast

    cast = make_cast()
    case = make_case(cast.alpha["caseworker"])
    login(client, cast.alpha["case_supervisor"])
    r = client.post(reverse("cases:erase", kwargs={"code": case.code}), {"confirm": "on"})
    assert r.status_code == 302
    case.survivor.refresh_from_db()
    assert case.survivor.given_names == NAME  # requested, not erased
    # The same supervisor cannot approve her own request…
    r = client.post(reverse("cases:erase_decide", kwargs={"code": case.code}), {"approve": "yes"})
    assert r.status_code == 200
    assert "otra persona" in r.content.decode()
    case.survivor.refresh_from_db()
    assert case.survivor.given_names == NAME
    # …a second supervisor of the organisation does.
    from ruta.accounts.models import User

    second = User.objects.create_user(username="sara", role="case_supervisor", organisation=cast.alpha_org)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=second, name="t", confirmed=True)
    login(client, second)
    r = client.post(reverse("cases:erase_decide", kwargs={"code": case.code}), {"approve": "yes"})
    assert r.status_code == 302
    case.survivor.refresh_from_db()
    assert case.survivor.given_names is None and case.survivor.erased_at is not None
