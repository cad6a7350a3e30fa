from __future__ import annotations

import io

from django.test import TestCase
from django.utils import timezone

from ruta.accounts.demo import load_demo_cast
from ruta.program import demo
from ruta.program.indicators import compute
from ruta.program.models import Activity, Attendance, Participant, Programme, Target


class DemoTest(TestCase):
    def test_the_demo_grant_is_realistic_and_loads_once(self) -> None:
        load_demo_cast()
        demo.load(io.StringIO())
        programme = Programme.objects.get(name=demo.NAME)
        rows = Attendance.objects.count()
        self.assertGreater(rows, 3000)
        self.assertEqual(Target.objects.get(programme=programme, indicator="youth_reached", sex="").value, 1250)
        self.assertEqual(Target.objects.get(programme=programme, indicator="youth_reached", sex="female").value, 850)
        self.assertEqual(Target.objects.get(programme=programme, indicator="youth_reached", sex="male").value, 400)
        districts = set(Participant.objects.values_list("district_id", flat=True).distinct())
        self.assertEqual(districts - set(demo.DISTRICTS), set())
        values = compute(programme)
        self.assertGreater(values["youth_reached"].value or 0, 900)
        self.assertGreater(values["mean_knowledge_gain"].value or 0, 10)
        self.assertTrue(programme.starts_on <= timezone.localdate() <= programme.ends_on)  # "are we on track?" today
        self.assertFalse(Participant.objects.filter(programme=programme, sex="unknown").exists())  # no "Sin dato"
        self.assertFalse(Activity.objects.filter(programme=programme, date__gt=timezone.localdate()).exists())
        demo.load(io.StringIO())  # idempotent
        self.assertEqual(Attendance.objects.count(), rows)
        self.assertEqual(Programme.objects.filter(name=demo.NAME).count(), 1)
