"""“Are we on track?”: expected by now, the status in colour and words, the youth targets
first, Spanish (Peru) numbers; sex is required when registering."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from unittest import mock

from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import translation

from ruta.lib import numbers
from ruta.program.models import Participant, Target
from ruta.program.progress import (
    BEHIND_SHARE,
    ON_TRACK_SHARE,
    Status,
    assess,
    expected_by,
    status_of,
)
from ruta.program.tests import fixtures
from ruta.testing.cast import BaseTestCase, login

D = dt.date
S, E = D(2025, 1, 1), D(2025, 12, 31)  # a period of 365 days


class ExpectedByNowTest(SimpleTestCase):
    def test_a_count_target_grows_evenly_over_the_period(self) -> None:
        # 1 July is day 182 of 365.
        self.assertEqual(round(expected_by(Decimal(365), today=D(2025, 7, 1), starts_on=S, ends_on=E)), 182)
        # After the end: all of it.
        self.assertEqual(expected_by(Decimal(1250), today=D(2026, 3, 1), starts_on=S, ends_on=E), 1250)

    def test_nothing_is_expected_before_the_period_and_that_is_on_track(self) -> None:
        check = assess(0, Decimal(1250), today=D(2024, 12, 1), starts_on=S, ends_on=E)
        self.assertEqual((check.expected, check.status), (0, Status.ON_TRACK))

    def test_a_share_or_mean_target_is_expected_in_full_at_any_time(self) -> None:
        self.assertEqual(expected_by(Decimal(70), today=D(2025, 2, 1), cumulative=False, starts_on=S, ends_on=E), 70)

    def test_a_plan_replaces_the_straight_line(self) -> None:
        plan = [(D(2025, 6, 30), Decimal(100)), (D(2025, 12, 31), Decimal(1250))]
        self.assertEqual(expected_by(Decimal(1250), today=D(2025, 6, 30), plan=plan, starts_on=S, ends_on=E), 100)
        mid = expected_by(Decimal(1250), today=D(2025, 9, 30), plan=plan, starts_on=S, ends_on=E)
        self.assertTrue(Decimal(660) < mid < Decimal(680), mid)  # 92 of 184 days between the milestones

    def test_a_window_expects_only_what_falls_inside_it_up_to_today(self) -> None:
        q2 = expected_by(Decimal(365), today=D(2026, 1, 1), window=(D(2025, 4, 1), D(2025, 6, 30)),
                         starts_on=S, ends_on=E)
        self.assertEqual(round(q2), 91)
        self.assertEqual(expected_by(Decimal(365), today=D(2025, 3, 1), window=(D(2025, 4, 1), D(2025, 6, 30)),
                                     starts_on=S, ends_on=E), 0)

    def test_status_thresholds_are_95_and_80_percent_of_expected(self) -> None:
        self.assertEqual((ON_TRACK_SHARE, BEHIND_SHARE), (Decimal("0.95"), Decimal("0.80")))
        self.assertEqual(status_of(95, Decimal(100)), Status.ON_TRACK)
        self.assertEqual(status_of(Decimal("94.9"), Decimal(100)), Status.BEHIND)
        self.assertEqual(status_of(80, Decimal(100)), Status.BEHIND)
        self.assertEqual(status_of(Decimal("79.9"), Decimal(100)), Status.AT_RISK)
        self.assertEqual(status_of(0, Decimal(0)), Status.ON_TRACK)

    def test_each_status_has_a_symbol_and_words_not_colour_alone(self) -> None:
        for reached, symbol, words in [(100, "✓", "En camino"), (85, "!", "Retrasada"), (10, "✕", "En riesgo")]:
            with translation.override("es-pe"):
                check = assess(reached, Decimal(100), today=D(2026, 1, 1), starts_on=S, ends_on=E)
                self.assertEqual((check.symbol, check.label), (symbol, words))


class SpanishNumbersTest(SimpleTestCase):
    def test_numbers_follow_spanish_peru_with_grouping_and_a_decimal_comma(self) -> None:
        with translation.override("es-pe"):
            self.assertEqual(numbers.count(1250), "1\xa0250")
            self.assertEqual(numbers.percent(Decimal("12.5"), 1), "12,5\xa0%")
            self.assertEqual(numbers.trimmed(Decimal("850.00")), "850")
            self.assertEqual(numbers.parse("1\xa0250,5"), 1250.5)
        with translation.override("en"):
            self.assertEqual(numbers.count(1250), "1,250")


class OnTrackScreensTest(BaseTestCase):
    def setUp(self) -> None:
        translation.activate("es-pe")
        self.prog = fixtures.programme(self.cast)
        for sex, value in [("", 1250), ("female", 850), ("male", 400)]:
            Target.objects.create(programme=self.prog, indicator="youth_reached", sex=sex, value=value)
        Target.objects.create(programme=self.prog, indicator="adults_trained", group="teacher", value=60)
        Target.objects.create(programme=self.prog, indicator="sessions_delivered", value=10)
        fixtures.attended(self.cast)  # one young woman, one session (10 March 2025)
        login(self.client, self.coordinator)

    def day(self, when: dt.date) -> mock._patch:  # type: ignore[type-arg]
        return mock.patch("django.utils.timezone.localdate", return_value=when)

    def test_the_dashboard_leads_with_the_youth_female_and_male_targets_and_their_status(self) -> None:
        with self.day(D(2025, 7, 1)):
            page = self.client.get(reverse("program:dashboard", args=[self.prog.pk]))
        html = page.content.decode()
        self.assertIn("¿Vamos en camino?", html)
        first = html.index("¿Vamos en camino?")
        self.assertLess(first, html.index("Indicadores"))
        self.assertIn("Esperado a la fecha: 623", html)  # 1 250 × 182/365
        self.assertIn("target-status-at_risk", html)
        self.assertIn("En riesgo", html)
        table = html[html.index('id="targets"'):]
        order = [table.index(s) for s in ("Mujer", "Hombre", "Docentes")]
        self.assertEqual(order, sorted(order))

    def test_the_targets_screen_shows_expected_by_now_and_status(self) -> None:
        with self.day(D(2025, 1, 3)):  # 3 days in: 10 sessions × 3/365 expected, 1 delivered
            page = self.client.get(reverse("program:settings", args=[self.prog.pk]))
        self.assertContains(page, "Esperado a la fecha")
        self.assertContains(page, "target-status-on_track")
        self.assertContains(page, "1\xa0250")  # Spanish (Peru) grouping

    def test_a_plan_is_saved_from_the_targets_screen_and_bad_lines_are_refused(self) -> None:
        url = reverse("program:settings", args=[self.prog.pk])
        data = {"form": "target", "indicator": "sessions_delivered", "value": "10",
                "plan": "2025-06-30 2\n2025-12-31 10"}
        self.assertRedirects(self.client.post(url, data), url)
        target = Target.objects.get(programme=self.prog, indicator="sessions_delivered")
        self.assertEqual(target.plan, [["2025-06-30", "2"], ["2025-12-31", "10"]])
        bad = self.client.post(url, {**data, "plan": "30/06/2025 dos"})
        self.assertContains(bad, "Línea 1", status_code=400)
        down = self.client.post(url, {**data, "plan": "2025-06-30 8\n2025-12-31 3"})
        self.assertContains(down, "no pueden bajar", status_code=400)

    def test_unknown_sex_is_shown_as_a_data_quality_count(self) -> None:
        fixtures.participant(self.cast, "P-UNK001", name="", sex="unknown")
        page = self.client.get(reverse("program:dashboard", args=[self.prog.pk]))
        self.assertContains(page, "1 participante no tiene sexo registrado")


class SexIsRequiredTest(BaseTestCase):
    def setUp(self) -> None:
        translation.activate("es-pe")
        self.prog = fixtures.programme(self.cast)
        self.activity = fixtures.activity(self.cast)
        login(self.client, self.facilitator)

    def test_the_registration_form_has_no_default_sex_and_explains_in_spanish(self) -> None:
        page = self.client.get(reverse("program:activity", args=[self.activity.pk]))
        html = page.content.decode()
        select = html[html.index('name="sex"'):html.index("</select>", html.index('name="sex"'))]
        self.assertIn('<option value="" selected>Elige…', select)  # nothing chosen for them
        self.assertNotIn('value="unknown"', select)
        response = self.client.post(reverse("program:participant_new", args=[self.activity.pk]),
                                    {"name": "Ana Ríos", "age": "15", "group": "youth", "district": "170101",
                                     "guardian_consent": "on"})
        self.assertContains(response, "Elige el sexo del participante")
        self.assertFalse(Participant.objects.filter(programme=self.prog).exists())
        unknown = self.client.post(reverse("program:participant_new", args=[self.activity.pk]),
                                   {"name": "Ana Ríos", "sex": "unknown", "age": "15", "group": "youth",
                                    "district": "170101", "guardian_consent": "on"})
        self.assertContains(unknown, "Elige mujer, hombre o intersexual")
        self.assertFalse(Participant.objects.filter(programme=self.prog).exists())
