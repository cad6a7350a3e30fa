from __future__ import annotations

import io

from django.test import TestCase

from ruta.accounts.demo import load_demo_cast
from ruta.learning import demo
from ruta.learning.models import Answer, LiveSession
from ruta.program import demo as program_demo
from ruta.program.models import AssessmentResult


class DemoTest(TestCase):
    def test_a_closed_pre_and_post_test_with_answers_loads_once(self) -> None:
        load_demo_cast()
        program_demo.load(io.StringIO())
        out = io.StringIO()
        demo.load(out)
        sessions = list(LiveSession.objects.order_by("pk"))
        self.assertEqual([(s.phase, s.state) for s in sessions], [("pre", "closed"), ("post", "closed")])
        self.assertGreater(Answer.objects.count(), 50)
        results = AssessmentResult.objects.filter(instrument_code__startswith="learning-")
        self.assertEqual(results.filter(phase="pre").count(), results.filter(phase="post").count())
        self.assertGreaterEqual(results.filter(phase="post").count(), 6)
        self.assertNotIn(sessions[0].activity.target_group, ["youth"])  # adults trained, for the donor report
        demo.load(io.StringIO())
        self.assertEqual(LiveSession.objects.count(), 2)
        self.assertIn("results", out.getvalue())
