"""The donor report says whether each target is on track, as the dashboard does
(ruta.program.progress), with the youth targets first and numbers in Spanish (Peru)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.utils import translation

from ruta.program.models import Target
from ruta.program.progress import Status
from ruta.program.tests import fixtures
from ruta.testing.cast import BaseTestCase

D = dt.date


class OnTrackReportTest(BaseTestCase):
    def setUp(self) -> None:
        translation.activate("es-pe")
        self.prog = fixtures.programme(self.cast)
        for sex, value in [("", 1250), ("female", 850), ("male", 400)]:
            Target.objects.create(programme=self.prog, indicator="youth_reached", sex=sex, value=value)
        Target.objects.create(programme=self.prog, indicator="adults_trained", group="teacher", value=60)
        Target.objects.create(programme=self.prog, indicator="sessions_delivered", value=10)
        fixtures.attended(self.cast)  # one young woman, one session (10 March 2025)

    def day(self, when: dt.date) -> mock._patch:  # type: ignore[type-arg]
        return mock.patch("django.utils.timezone.localdate", return_value=when)

    def test_the_donor_report_has_the_same_status_and_youth_targets_first(self) -> None:
        from ruta.reports.donor import Period, build

        with self.day(D(2025, 7, 1)):
            report = build(self.prog, Period(D(2025, 1, 1), D(2025, 12, 31)))
        self.assertEqual([(t.indicator, t.slice_label) for t in report.targets[:3]],
                         [("youth_reached", "Todo"), ("youth_reached", "Mujer"), ("youth_reached", "Hombre")])
        sessions = next(t for t in report.targets if t.indicator == "sessions_delivered")
        assert sessions.check is not None
        self.assertEqual((sessions.expected, sessions.check.status), ("5", Status.AT_RISK))

    def test_the_pdf_writes_numbers_and_status_in_spanish_peru(self) -> None:
        from django.template.loader import render_to_string

        from ruta.reports import render
        from ruta.reports.donor import Period, build

        with self.day(D(2025, 7, 1)):
            report = build(self.prog, Period(D(2025, 1, 1), D(2025, 12, 31)))
            html = render_to_string("reports/donor_report_pdf.html", render.context(report))
        self.assertIn("1\xa0250", html)  # the youth target, grouped as in Peru
        self.assertIn("En riesgo", html)
        self.assertIn("target-status-at_risk", html)
        self.assertNotIn("1,250", html)

