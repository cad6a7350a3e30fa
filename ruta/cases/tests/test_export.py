from __future__ import annotations

import io

import openpyxl
from django.urls import reverse

from ruta.audit.models import AccessEvent
from ruta.cases.export import HEADERS, reporting_delay
from ruta.cases.tests.factories import FAMILY, NAME, PHONE, CaseTestCase, make_case, make_referral


class ExportTest(CaseTestCase):
    def test_the_incident_recorder_export_has_codes_no_names_and_text_stays_text(self) -> None:
        case = make_case(self.caseworker, incident={"narrative": "=HYPERLINK(\"http://x\")"})
        make_referral(case, self.caseworker, step="health_emergency_kit")
        # A value that looks like a formula in a text column:
        case.incidents.update(code="=1+2")
        other = make_case(self.cast.beta["caseworker"])
        self.login(self.case_supervisor)
        r = self.client.post(reverse("cases:export"), {"reported_from": "2000-01-01", "reported_to": "2100-01-01",
                                                       "purpose": "Informe trimestral"})
        assert r.status_code == 200
        assert r["Content-Type"].startswith("application/vnd.openxmlformats")
        body = r.content
        book = openpyxl.load_workbook(io.BytesIO(body))
        sheet = book["Incident Recorder"]
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == HEADERS
        assert len(rows) == 2  # Beta's case is not in Alpha's export
        row = dict(zip(HEADERS, rows[1]))
        assert row["Survivor code"] == case.survivor.code
        assert row["GBV type"] == "Rape" or row["GBV type"] == "Violación"
        assert row["Health / medical"] in ("Requested", "Solicitada")
        cell = sheet.cell(row=2, column=1)
        assert cell.value == "=1+2" and cell.data_type == "s"
        text = " ".join(str(v) for r_ in rows for v in r_ if v is not None)
        for secret in (NAME, FAMILY, PHONE, "HYPERLINK", other.survivor.code):
            assert secret not in text
        [event] = AccessEvent.objects.filter(action="export")
        assert event.object_id == str(case.pk)

    def test_caseworkers_cannot_export(self) -> None:
        self.login(self.caseworker)
        assert self.client.post(reverse("cases:export"), {"reported_from": "2000-01-01",
                                                          "reported_to": "2100-01-01"}).status_code == 404


def test_reporting_delay_buckets_put_day_four_in_four_to_five() -> None:
    assert [reporting_delay(d) for d in (0, 3, 4, 5, 6, 14, 15, 30, 31)] == [
        "0-3 days", "0-3 days", "4-5 days", "4-5 days", "6-14 days", "6-14 days", "2 weeks - 1 month",
        "2 weeks - 1 month", "Over 1 month"]
