from __future__ import annotations

from django.urls import reverse

from ruta.accounts.roles import Role
from ruta.directory.models import Service
from ruta.testing.cast import BaseTestCase, login


class AdminTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.admin_user = self.cast.alpha[Role.ADMIN]
        login(self.client, self.admin_user)

    def test_an_administrator_corrects_a_shipped_service(self) -> None:
        cem = Service.objects.get(key="cem-regular-madre-de-dios")
        url = reverse("admin:directory_service_change", args=[cem.pk])
        form = self.client.get(url)
        self.assertContains(form, 'name="offers"')
        data = {
            "name": cem.name,
            "kind": "cem",
            "offers": ["legal", "psychological", "reporting"],
            "active": "on",
            "district": "170101",
            "address": "Jr. Ejemplo s/n",
            "phones": "",
            "hours": "8:00 - 16:00",
            "languages": ["es", "qu"],
            "notes": cem.notes,
            "source": "Llamada al CEM, 2026",
            "confidence": "verified",
            "verified_on": "2026-11-20",
            "category": "",
        }
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, getattr(response, "context", None) and response.context["errors"])
        cem.refresh_from_db()
        self.assertEqual(cem.offers, ["legal", "psychological", "reporting"])
        self.assertEqual(cem.languages, ["es", "qu"])
        self.assertEqual(cem.confidence, "verified")
        self.assertEqual(cem.history.count(), 1)  # the edit is in the change history

    def test_an_unknown_offer_is_refused(self) -> None:
        line = Service.objects.get(key="linea-100")
        url = reverse("admin:directory_service_change", args=[line.pk])
        response = self.client.post(url, {"name": "x", "kind": "hotline", "offers": ["teleport"], "national": "on"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "teleport")
        line.refresh_from_db()
        self.assertEqual(line.name, "Línea 100")

    def test_mark_verified_today(self) -> None:
        ids = list(Service.objects.filter(kind="demuna").values_list("pk", flat=True))
        response = self.client.post(
            reverse("admin:directory_service_changelist"),
            {"action": "mark_verified_today", "_selected_action": ids},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Service.objects.filter(pk__in=ids, confidence="verified").count(), 3)
        self.assertFalse(Service.objects.filter(pk__in=ids, verified_on__isnull=True).exists())
