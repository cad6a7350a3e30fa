"""Every learner page within the public budget: ≤ 30 KB compressed on first load, ≤ 4 requests."""

from __future__ import annotations

from ruta.learning import actions
from ruta.learning.tests.helpers import SAME, phone
from ruta.learning.tests.test_live import LiveTestCase
from ruta.testing.weight import page_weight

BUDGET = 30 * 1024


class WeightTest(LiveTestCase):
    def test_every_learner_page_is_within_the_budget(self) -> None:
        session = self.open()
        client, seat = self.join(session)
        pages = {"join": "/t/", "waiting": f"/t/{seat.token}/"}
        self.client.post(f"/aprendizaje/sesion/{session.pk}/telefono/{seat.pk}/", {"decision": "admit"})
        pages["who"] = f"/t/{seat.token}/"
        weights = {"who": page_weight(phone(), pages["who"])}
        client.post(f"/t/{seat.token}/quien/", {"participant": self.person.pk}, headers=SAME)
        weights["question"] = page_weight(phone(), f"/t/{seat.token}/")
        weights["join"] = page_weight(phone(), "/t/")
        self.answer_all(client, seat.__class__.objects.get(pk=seat.pk), right=5)
        weights["done"] = page_weight(phone(), f"/t/{seat.token}/")
        for name, weight in weights.items():
            print(f"learning page {name}: {weight}")  # noqa: T201  (reported by the test run)
            self.assertLessEqual(weight.compressed_bytes, BUDGET, name)
            self.assertLessEqual(weight.requests, 4, name)
        self.assertTrue(actions.seat_questions(seat.__class__.objects.get(pk=seat.pk)))
