from __future__ import annotations

from typing import Any

from django.test import TestCase


class ServicesApiTests(TestCase):
    def test_it_lists_with_filters(self) -> None:
        body = self.client.get("/api/v1/services", {"district": "170101", "offer": "legal", "kind": "cem"}).json()
        self.assertEqual([s["name"] for s in body["items"]], ["Centro Emergencia Mujer (CEM) Madre de Dios"])
        cem = body["items"][0]
        self.assertEqual(cem["district"], "170101")
        self.assertEqual(cem["confidence"], "unverified")
        body = self.client.get("/api/v1/services", {"kind": "hotline"}).json()
        self.assertEqual(body["count"], 2)
        line = next(s for s in body["items"] if s["name"] == "Línea 100")
        self.assertEqual(
            (line["phone"], line["open_24h"], line["national"], line["district"]), ("100", True, True, None)
        )

    def test_everything_without_filters_and_paging(self) -> None:
        body = self.client.get("/api/v1/services", {"limit": 10, "offset": 40}).json()
        self.assertEqual(body["count"], 129)
        self.assertEqual(len(body["items"]), 10)

    def test_bad_filters_get_a_message_per_field(self) -> None:
        bad: dict[str, Any] = {"district": "17", "kind": "x", "offer": "y", "limit": 0}
        response = self.client.get("/api/v1/services", bad)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()["errors"]), {"district", "kind", "offer", "limit"})

    def test_it_is_in_the_openapi_schema(self) -> None:
        schema = self.client.get("/api/v1/openapi.json").json()
        self.assertIn("/api/v1/services", schema["paths"])
