from __future__ import annotations

import io

from django.core.management import call_command
from django.db.models import Count
from django.test import TestCase

from ruta.directory import demo
from ruta.directory.models import Service
from ruta.directory.seed import SERVICES


class SeedTests(TestCase):
    def test_a_fresh_install_has_the_directory_by_kind(self) -> None:
        by_kind = dict(Service.objects.values_list("kind").annotate(n=Count("id")))
        self.assertEqual(
            by_kind,
            {
                "health": 34,
                "cem": 3,
                "demuna": 3,
                "hotline": 2,
                "police": 1,
                "prosecutor": 1,
                "forensic": 1,
                "child_protection": 1,
                "legal_aid": 1,
            },
        )

    def test_every_shipped_service_has_a_source_and_an_honest_mark(self) -> None:
        for service in Service.objects.all():
            self.assertTrue(service.source.strip(), service.name)
        shipped = Service.objects.filter(key__isnull=False)
        self.assertEqual(shipped.count(), len(SERVICES))
        # The notes mark these [U]: never shown as verified.
        for key in ("linea-100", "chat-100", "policia-105", "medicina-legal-madre-de-dios", "cem-manu"):
            self.assertEqual(shipped.get(key=key).confidence, "unverified")
        self.assertEqual(
            shipped.get(key="mp-camara-gesell-madre-de-dios").address, "Av. Fitzcarrald 427, Puerto Maldonado"
        )
        self.assertFalse(shipped.filter(confidence="verified").exists())

    def test_no_phone_or_address_is_invented(self) -> None:
        shipped = Service.objects.filter(key__isnull=False)
        self.assertEqual(sorted(p for p in shipped.values_list("phones", flat=True) if p), ["100", "105"])
        self.assertEqual(
            [a for a in shipped.values_list("address", flat=True) if a], ["Av. Fitzcarrald 427, Puerto Maldonado"]
        )

    def test_seeding_again_adds_nothing_and_keeps_admin_edits(self) -> None:
        line = Service.objects.get(key="linea-100")
        line.notes = "Editado por el administrador."
        line.save()
        before = Service.objects.count()
        out = io.StringIO()
        call_command("seed_directory", stdout=out)
        self.assertIn("0 created, 0 updated, 33 unchanged", out.getvalue())
        self.assertIn("0 created, 14 already there", out.getvalue())
        demo.load(io.StringIO())
        self.assertEqual(Service.objects.count(), before)
        line.refresh_from_db()
        self.assertEqual(line.notes, "Editado por el administrador.")

    def test_a_deleted_shipped_service_comes_back_with_seed_directory(self) -> None:
        Service.objects.filter(key="chat-100").delete()
        call_command("seed_directory", stdout=io.StringIO())
        self.assertTrue(Service.objects.filter(key="chat-100").exists())
