from __future__ import annotations

import io

import openpyxl
from django.urls import reverse

from ruta.audit.models import AccessEvent
from ruta.cases.tests.factories import make_case
from ruta.exports.models import PersonExport
from ruta.testing.cast import BaseTestCase, _user

RANGE = {"reported_from": "2000-01-01", "reported_to": "2100-01-01"}


class IncidentRecorderExportTest(BaseTestCase):
    def setUp(self) -> None:
        make_case(self.caseworker)
        self.url = reverse("cases:export")

    def export(self, purpose: str = "Informe trimestral a UNFPA"):  # type: ignore[no-untyped-def]
        return self.client.post(self.url, {**RANGE, "purpose": purpose})

    def test_an_export_states_its_purpose_and_carries_a_watermark(self) -> None:
        self.login(self.case_supervisor)
        refused = self.export(purpose="")
        assert refused.status_code == 200 and not PersonExport.objects.exists()
        response = self.export()
        assert response.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        mark = book["README"]["A3"].value
        assert "silvia" in mark and "Informe trimestral a UNFPA" in mark
        assert "Informe trimestral" in (book.properties.description or "")
        [export] = PersonExport.objects.all()
        assert export.status == PersonExport.Status.RELEASED and export.rows == 1
        assert AccessEvent.objects.filter(action="export.released", actor=self.case_supervisor).exists()
        listing = self.client.get(reverse("exports:list"))
        self.assertContains(listing, "Informe trimestral a UNFPA")

    def test_the_sixth_export_in_a_day_waits_for_another_supervisor(self) -> None:
        self.login(self.case_supervisor)
        for _ in range(5):
            assert self.export().status_code == 200
        waiting = self.export()
        self.assertRedirects(waiting, reverse("exports:list"))
        sixth = PersonExport.objects.latest("id")
        assert sixth.status == PersonExport.Status.WAITING
        # Not by herself…
        self.client.post(reverse("exports:decide", kwargs={"pk": sixth.pk}), {"decision": "approve"})
        sixth.refresh_from_db()
        assert sixth.status == PersonExport.Status.WAITING
        assert self.client.post(self.url, {"export_id": sixth.pk}).status_code == 404
        # …but by another supervisor of her organisation.
        other = _user("sara", "case_supervisor", self.cast.alpha_org)
        self.login(other)
        self.assertContains(self.client.get(reverse("exports:list")), "Esperando su aprobación")
        self.client.post(reverse("exports:decide", kwargs={"pk": sixth.pk}), {"decision": "approve"})
        sixth.refresh_from_db()
        assert sixth.status == PersonExport.Status.APPROVED and sixth.decided_by == other
        self.login(self.case_supervisor)
        assert self.client.post(self.url, {"export_id": sixth.pk}).status_code == 200
        assert self.client.post(self.url, {"export_id": sixth.pk}).status_code == 404  # once

    def test_another_organisations_supervisor_cannot_decide(self) -> None:
        self.login(self.case_supervisor)
        for _ in range(6):
            self.export()
        sixth = PersonExport.objects.latest("id")
        self.login(self.cast.beta["case_supervisor"])
        assert self.client.post(reverse("exports:decide", kwargs={"pk": sixth.pk}),
                                {"decision": "approve"}).status_code == 404
        sixth.refresh_from_db()
        assert sixth.status == PersonExport.Status.WAITING
