"""Mother tongue is recorded with the codes the whole project shares (``ruta.lib.codes.MotherTongue``),
and cases recorded with the CEM register's codes were moved onto them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from ruta.cases.forms import SurvivorForm
from ruta.cases.models import Survivor
from ruta.cases.tests.factories import CaseTestCase, make_case
from ruta.lib.codes import MotherTongue


def test_the_survivor_form_offers_the_languages_of_madre_de_dios() -> None:
    field: Any = SurvivorForm().fields["mother_tongue"]
    offered = {code for code, _label in field.choices}
    assert offered == {"", *MotherTongue.values}
    assert {"harakbut", "ese_eja", "yine", "kichwa", "matsigenka", "shipibo_konibo"} <= offered


class MotherTongueTest(CaseTestCase):
    def test_a_case_shows_the_language_by_its_name(self) -> None:
        case = make_case(self.caseworker, survivor={"mother_tongue": "harakbut"})
        assert Survivor.objects.get(pk=case.survivor_id).mother_tongue == MotherTongue.HARAKBUT
        self.login(self.caseworker)
        page = self.client.get(reverse("cases:detail", kwargs={"code": case.code}))
        self.assertContains(page, "Harakbut")

    def test_labels_are_not_ambiguous(self) -> None:
        from django.utils import translation

        from ruta.cases import cem
        from ruta.pathway.codes import Relationship

        with translation.override("es-pe"):
            labels = [str(label) for _code, label in Relationship.choices]
            assert len(labels) == len(set(labels)), labels  # "Desconocido" once, not for a stranger too
            assert cem.label(cem.LIVES_WITH, 1) == "Sí" and cem.label(cem.FIRST_TIME, 1) == "Sí"
