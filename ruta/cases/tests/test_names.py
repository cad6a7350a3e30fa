"""Case lists show survivors' names to the case roles, with a switch to hide them; a case is
found by name through keyed hashes of the name parts, each search audited without its words."""

from __future__ import annotations

from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ruta.audit.models import AccessEvent
from ruta.cases import actions, policy
from ruta.cases.models import Survivor, SurvivorNamePart, name_part_hashes, name_parts
from ruta.cases.tests.factories import FAMILY, NAME, CaseTestCase, make_case


def test_name_parts_ignore_case_accents_and_fold_enye() -> None:
    assert name_parts("María-José Ñahui", "de la Cruz") == {"MARIA", "JOSE", "NAHUI", "DE", "LA", "CRUZ"}
    assert name_parts("MARIA jose nahui") <= name_parts("María-José Ñahui")
    assert name_parts("A. y", None) == set()


class NameListTest(CaseTestCase):
    def _list(self, **data: str) -> str:
        r = self.client.post(reverse("cases:list"), data) if data else self.client.get(reverse("cases:list"))
        assert r.status_code == 200
        return r.content.decode()

    def test_the_case_list_shows_names_to_case_workers(self) -> None:
        make_case(self.caseworker)
        self.login(self.caseworker)
        assert policy.can_see_names(self.caseworker)
        assert f"{NAME} {FAMILY}" in self._list()

    def test_the_switch_hides_names_without_anything_in_the_url(self) -> None:
        make_case(self.caseworker)
        self.login(self.caseworker)
        r = self.client.post(reverse("cases:names"), {"show": "0", "status": "all"})
        assert r.status_code == 302 and r["Location"] == reverse("cases:list") + "?status=all"
        html = self._list()
        assert NAME not in html and "Mostrar nombres" in html
        self.client.post(reverse("cases:names"), {"show": "1"})
        assert NAME in self._list()

    def test_hidden_names_are_not_even_read(self) -> None:
        make_case(self.caseworker)
        self.login(self.caseworker)
        self.client.post(reverse("cases:names"), {"show": "0"})
        with CaptureQueriesContext(connection) as ctx:
            self._list()
        assert not any("given_names" in q["sql"] for q in ctx.captured_queries)

    def test_only_the_page_shown_is_decrypted(self) -> None:
        from unittest import mock

        from ruta.lib import fields
        from ruta.lib.paging import CountedPaginator

        for _ in range(3):
            make_case(self.caseworker)
        self.login(self.caseworker)
        calls: list[str] = []
        real = fields.EncryptedTextField.from_db_value

        def counting(field: fields.EncryptedTextField, value: object, *args: object) -> object:
            calls.append(field.attname)
            return real(field, value, *args)

        def two_a_page(rows: object, _n: int, counted: object, bound: int | None = None) -> CountedPaginator:
            return CountedPaginator(rows, 2, counted=counted, bound=bound)  # type: ignore[arg-type]

        with (mock.patch("ruta.cases.views.CountedPaginator", two_a_page),
              mock.patch.object(fields.EncryptedTextField, "from_db_value", counting)):
            self._list()
        # Two name fields for each of the two rows of the page; the third case is not read.
        assert sorted(calls) == sorted(["given_names", "family_names"] * 2)


class NameSearchTest(CaseTestCase):
    def test_a_name_finds_the_case_whatever_the_accents_and_order(self) -> None:
        mine = make_case(self.caseworker, survivor={"given_names": "María Elena", "family_names": "Quispe Ñaupa"})
        make_case(self.caseworker, survivor={"given_names": "María", "family_names": "Huamán"})
        self.login(self.caseworker)
        r = self.client.post(reverse("cases:list"), {"q": "naupa maria"})
        assert [row["code"] for row in r.context["page"].object_list] == [mine.code]
        r = self.client.post(reverse("cases:list"), {"q": "Elena Huamán"})
        assert list(r.context["page"].object_list) == []

    def test_rare_and_common_name_parts_find_the_same_cases(self) -> None:
        """A rare part is looked up from the hash index first, common parts probe every visible
        case (``queries.RARE_NAME_PART``): either way the same cases, the other worker's left out."""
        from ruta.cases import queries

        mine = make_case(self.caseworker, survivor={"given_names": "Rosa Elena", "family_names": "Quispe Ccori"})
        make_case(self.caseworker, survivor={"given_names": "Rosa", "family_names": "Quispe Mamani"})
        make_case(self.case_supervisor, survivor={"given_names": "Rosa Elena", "family_names": "Quispe Ccori"})
        self.login(self.caseworker)
        found = []
        for bound in (queries.RARE_NAME_PART, 0):  # "ccori" (2 survivors) first; every part per case
            with mock.patch.object(queries, "RARE_NAME_PART", bound):
                r = self.client.post(reverse("cases:list"), {"q": "rosa quispe ccori"})
            found.append([row["code"] for row in r.context["page"].object_list])
        assert found == [[mine.code]] * 2

    def test_a_search_stops_counting_past_its_bound_and_says_so(self) -> None:
        from ruta.cases import queries

        for _ in range(3):
            make_case(self.caseworker, survivor={"given_names": "Rosa", "family_names": "Quispe"})
        self.login(self.caseworker)
        with mock.patch.object(queries, "SEARCH_COUNT_BOUND", 2):
            r = self.client.post(reverse("cases:list"), {"q": "rosa quispe"}, HTTP_ACCEPT_LANGUAGE="es-pe")
        assert len(r.context["page"].object_list) == 3  # the page shows every match it holds
        assert "Más de 2 casos coinciden: escriba más del nombre" in r.content.decode()
        assert AccessEvent.objects.filter(action="search").get().detail == {"by": "name", "results": 3}
        with mock.patch.object(queries, "SEARCH_COUNT_BOUND", 3):
            r = self.client.post(reverse("cases:list"), {"q": "rosa quispe"})
        assert "Más de" not in r.content.decode() and r.context["page"].paginator.count == 3

    def test_each_search_is_audited_without_its_words(self) -> None:
        make_case(self.caseworker)
        self.login(self.caseworker)
        self.client.post(reverse("cases:list"), {"q": "Zoraida"})
        event = AccessEvent.objects.filter(action="search").get()
        assert event.detail == {"by": "name", "results": 1}
        assert "oraida" not in str(event.__dict__).lower()

    def test_another_workers_case_is_not_found_by_name(self) -> None:
        make_case(self.case_supervisor, survivor={"given_names": "Yolanda"})
        self.login(self.caseworker)
        r = self.client.post(reverse("cases:list"), {"q": "Yolanda"})
        assert list(r.context["page"].object_list) == []

    def test_the_index_follows_name_changes_and_erasure(self) -> None:
        case = make_case(self.caseworker, survivor={"given_names": "Rosa", "family_names": "Mamani"})
        actions.update_survivor(self.caseworker, case, {"given_names": "Rosaura"})
        hashes = set(SurvivorNamePart.objects.filter(survivor=case.survivor).values_list("hash", flat=True))
        assert hashes == name_part_hashes("Rosaura", "Mamani")
        from ruta.cases.actions import erase_survivor

        erase_survivor(case)
        assert not SurvivorNamePart.objects.filter(survivor_id=case.survivor_id).exists()
        assert Survivor.objects.get(pk=case.survivor_id).given_names is None

    def test_the_hashes_are_keyed_not_plain(self) -> None:
        case = make_case(self.caseworker, survivor={"given_names": "Rosa"})
        import hashlib

        stored = set(SurvivorNamePart.objects.filter(survivor=case.survivor).values_list("hash", flat=True))
        assert hashlib.sha256(b"ROSA").hexdigest() not in stored and len(stored) >= 2
