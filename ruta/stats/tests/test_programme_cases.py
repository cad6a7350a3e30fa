from __future__ import annotations

from django.urls import reverse

from ruta.cases import actions
from ruta.cases.tests.factories import CaseTestCase, make_case
from ruta.stats import programme
from ruta.testing.cast import login


class ProgrammeCasesTest(CaseTestCase):
    def test_only_cases_with_statistics_consent_count_and_small_cells_are_hidden(self) -> None:
        for _i in range(12):
            make_case(self.caseworker)
        make_case(self.caseworker, consent=False)
        withdrawn = make_case(self.caseworker)
        actions.withdraw_consent(self.caseworker, withdrawn)
        make_case(self.caseworker, survivor={"age_years": 22}, incident={"aggressor_relationship": "partner"})
        tables, median_days, counted = programme.build(self.caseworker.organisation)
        assert counted == 13  # 12 + the partner case; not the one without consent, nor the withdrawn one
        assert median_days == 1.0
        age = {label: cells for label, cells in tables[0].rows}
        assert age["Violación"][3] == "<5"  # the one aged 22 (band 18-29)
        assert age["Violación"][2] == "x"  # the twelve aged 16 (12-17), hidden so the one cannot be subtracted
        assert age["Violación"][0] == "0"  # zero shows 0
        login(self.client, self.case_supervisor)
        page = self.client.get(reverse("stats:cases"))
        self.assertContains(page, "&lt;5")
        self.assertNotContains(page, "Zoraida")

