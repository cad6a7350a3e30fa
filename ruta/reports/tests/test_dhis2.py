"""The DHIS2 export: the donor report's published figures as a ``dataValueSets`` document in
DHIS2's own format (checked against the example payload of DHIS2's Web API guide), hidden
values left out, identifiers validated."""

from __future__ import annotations

import csv
import io
import json
from datetime import date as D
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from ruta.program.models import Attendance, Programme
from ruta.program.tests.io_helpers import make_activity
from ruta.reports.dhis2 import UID, data_value_set, dhis2_period
from ruta.reports.donor import Period
from ruta.reports.models import Dhis2Code
from ruta.reports.tests.test_donor_report import grant, people
from ruta.testing.cast import BaseTestCase

# The example of DHIS2's Web API guide ("Sending data values"), the Mortality < 5 years data set
# for Ngelehun CHC, January 2014.
DHIS2_EXAMPLE: dict[str, Any] = {
    "dataSet": "pBOMPrpg1QX", "completeDate": "2014-02-03", "period": "201401", "orgUnit": "DiszpKrYNg8",
    "dataValues": [{"dataElement": "f7n9E0hX8qk", "value": "1"}, {"dataElement": "Ix2HsbDMLea", "value": "2"},
                   {"dataElement": "eY5ehpbEsB7", "value": "3"}],
}
SET_KEYS = {"dataSet", "completeDate", "period", "orgUnit", "attributeOptionCombo", "dataValues"}
VALUE_KEYS = {"dataElement", "period", "orgUnit", "categoryOptionCombo", "attributeOptionCombo", "value", "comment"}


def test_the_uid_rule_matches_dhis2s_own_identifiers() -> None:
    ids = [DHIS2_EXAMPLE["dataSet"], DHIS2_EXAMPLE["orgUnit"], *(v["dataElement"] for v in DHIS2_EXAMPLE["dataValues"])]
    assert all(UID.match(i) for i in ids)
    for wrong in ("1bcdefghijk", "abc", "abcdefghijkl", "abcdefghij-", ""):
        assert not UID.match(wrong)


def test_dhis2_periods_are_months_quarters_or_years() -> None:
    assert dhis2_period(Period(D(2025, 3, 1), D(2025, 3, 31))) == "202503"
    assert dhis2_period(Period(D(2025, 4, 1), D(2025, 6, 30))) == "2025Q2"
    assert dhis2_period(Period(D(2025, 1, 1), D(2025, 12, 31))) == "2025"
    for start, end in ((D(2025, 3, 2), D(2025, 3, 31)), (D(2025, 2, 1), D(2025, 4, 30)), (D(2024, 12, 1),
                                                                                            D(2025, 1, 31))):
        with pytest.raises(ValueError):
            dhis2_period(Period(start, end))


class Dhis2ExportTest(BaseTestCase):
    programme: Programme

    @classmethod
    def setUpTestData(cls) -> None:
        # The donor report test's programme: 12 girls and 2 boys in Tambopata (170101), 6 teachers.
        super().setUpTestData()
        cls.programme = p = grant(cls.cast.alpha_org)
        march = make_activity(p, D(2025, 3, 10))
        make_activity(p, D(2025, 6, 12), district_id="170201")
        for person in (people(p, 12, sex="female", prefix="F") + people(p, 2, sex="male", prefix="M")
                       + people(p, 6, sex="female", prefix="T", birth=D(1985, 1, 1), group="teacher")):
            Attendance.objects.create(activity=march, participant=person)

    def setUp(self) -> None:
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def code(self, kind: str, key: str, uid: str) -> None:
        Dhis2Code.objects.create(programme=self.programme, kind=kind, key=key, uid=uid)

    def codes(self) -> None:
        self.code("data_set", "", "pBOMPrpg1QX")
        self.code("org_unit", "17", "DiszpKrYNg8")
        self.code("org_unit", "170101", "FNnj3jKGS7i")
        self.code("coc", "default", "bRowv6yZOF2")
        self.code("coc", "female", "Fem4le0Coc1")
        self.code("coc", "male", "Mal3Coc0000")
        self.code("data_element", "youth_reached", "f7n9E0hX8qk")
        self.code("data_element", "adults_trained", "Ix2HsbDMLea")
        self.code("data_element", "sessions_delivered", "eY5ehpbEsB7")

    def test_an_identifier_that_is_not_a_uid_is_refused_in_the_admin(self) -> None:
        for wrong in ("1bcdefghijk", "abc", "abcdefghij-"):
            with pytest.raises(ValidationError):
                Dhis2Code(programme=self.programme, kind="data_set", key="", uid=wrong).full_clean()
        Dhis2Code(programme=self.programme, kind="data_set", key="", uid="pBOMPrpg1QX").full_clean()

    def test_the_document_has_dhis2s_shape_and_leaves_hidden_values_out(self) -> None:
        self.codes()
        got = data_value_set(self.programme, Period(D(2025, 1, 1), D(2025, 12, 31)))
        document = got["document"]
        assert set(document) <= SET_KEYS and set(DHIS2_EXAMPLE) <= SET_KEYS
        assert (document["dataSet"], document["period"], document["orgUnit"]) == ("pBOMPrpg1QX", "2025", "DiszpKrYNg8")
        for value in document["dataValues"]:
            assert set(value) <= VALUE_KEYS and {"dataElement", "period", "orgUnit", "categoryOptionCombo",
                                                 "value"} <= set(value)
            assert isinstance(value["value"], str) and value["value"].isdigit()
            assert all(UID.match(value[k]) for k in ("dataElement", "orgUnit", "categoryOptionCombo"))
        pairs = {(v["dataElement"], v["orgUnit"], v["categoryOptionCombo"]): v["value"] for v in document["dataValues"]}
        assert pairs[("f7n9E0hX8qk", "DiszpKrYNg8", "bRowv6yZOF2")] == "14"  # young people reached
        assert pairs[("eY5ehpbEsB7", "DiszpKrYNg8", "bRowv6yZOF2")] == "2"  # sessions: not people, shown
        # The 2 boys ("<5") and the 12 girls beside them ("x") are hidden in the report: not sent.
        assert ("f7n9E0hX8qk", "FNnj3jKGS7i", "Mal3Coc0000") not in pairs
        assert ("f7n9E0hX8qk", "FNnj3jKGS7i", "Fem4le0Coc1") not in pairs
        assert "youth_reached/170201/female" in got["missing"]  # Manu has no code: listed, not sent
        assert json.loads(json.dumps(document)) == document

    def test_the_export_downloads_for_the_monitoring_officer_only(self) -> None:
        self.codes()
        url = reverse("reports:dhis2", kwargs={"pk": self.programme.pk, "fmt": "json"})
        self.login(self.cast.alpha["me_officer"])
        response = self.client.get(url)
        assert response.status_code == 200 and json.loads(response.content)["period"] == "2025"
        rows = list(csv.reader(io.StringIO(self.client.get(url.replace(".json", ".csv")).content.decode())))
        assert rows[0] == ["dataelement", "period", "orgunit", "categoryoptioncombo", "attributeoptioncombo", "value"]
        book = self.client.get(url.replace(".json", ".codebook.csv")).content.decode()
        assert "youth_reached,f7n9E0hX8qk" in book
        assert self.client.get(url + "?start=2025-01-05&end=2025-03-31").status_code == 400
        assert self.client.get(url.replace(".json", ".exe")).status_code == 404
        self.login(self.cast.alpha["donor"])
        assert self.client.get(url).status_code == 404
