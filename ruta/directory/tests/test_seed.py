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
        by_kind = dict(Service.objects.active().values_list("kind").annotate(n=Count("id")))
        self.assertEqual(
            by_kind,
            {
                "health": 98,  # 33 RENIPRESS + MINSA's regional network, Santa Rosa and EsSalud
                "mental_health": 1,
                "cem": 8,  # 5 CEMs, SAU Madre de Dios, SAR Tahuamanu and Las Piedras
                "police": 13,  # 12 stations + 105
                "demuna": 3,
                "hotline": 2,
                "prosecutor": 1,
                "forensic": 1,
                "child_protection": 1,
                "legal_aid": 1,
            },
        )

    def test_hospital_santa_rosa_is_listed_once_with_minsa_address_and_coordinates(self) -> None:
        rosa = Service.objects.get(renipress_code="2698")
        self.assertEqual(rosa.key, "hospital-santa-rosa-puerto-maldonado")
        self.assertEqual(rosa.address, "Jr. Cajamarca Nº 171")
        self.assertIsNotNone(rosa.latitude)
        self.assertEqual(Service.objects.filter(name__icontains="santa rosa", district_id="170101").count(), 1)
        essalud = Service.objects.get(renipress_code="9319")
        self.assertEqual(essalud.sector, "social_security")

    def test_no_service_offers_the_kit_unless_an_administrator_records_it(self) -> None:
        self.assertFalse(Service.objects.filter(offers__has="emergency_kit").exists())

    def test_private_facilities_are_marked_private(self) -> None:
        self.assertEqual(list(Service.objects.filter(sector="private").values_list("name", flat=True)),
                         ["Clínica de Dios"])

    def test_every_shipped_service_has_a_source_and_an_honest_mark(self) -> None:
        for service in Service.objects.all():
            self.assertTrue(service.source.strip(), service.name)
            for internal in ("[P]", "[U]", "[V]", ".md", "domain notes"):
                self.assertNotIn(internal, service.source + service.notes, service.name)
        shipped = Service.objects.filter(key__isnull=False)
        self.assertEqual(shipped.filter(key__in=[s["key"] for s in SERVICES]).count(), len(SERVICES))
        # Sources that do not say where they come from: never shown as verified.
        for key in ("medicina-legal-madre-de-dios", "cem-regular-madre-de-dios", "cpnp-puerto-maldonado"):
            self.assertEqual(shipped.get(key=key).confidence, "unverified")
        # National lines stated by the ministry in many outlets: public sources.
        self.assertEqual(shipped.get(key="linea-100").confidence, "secondary")
        self.assertFalse(Service.objects.filter(confidence="verified").exists())

    def test_phones_come_only_from_the_sources(self) -> None:
        cem = Service.objects.get(key="cem-regular-madre-de-dios")
        self.assertEqual((cem.phones, cem.district_id), ("994834124", "170101"))
        self.assertEqual(Service.objects.get(key="sar-las-piedras").phone_list, ["914185448", "915118877"])
        self.assertTrue(Service.objects.get(key="cem-24-horas-salvacion").open_24h)
        self.assertFalse(Service.objects.filter(kind="police", national=False).exclude(phones="").exists())
        self.assertEqual(Service.objects.active().exclude(phones="").count(), 43)

    def test_seeding_again_adds_nothing_and_keeps_admin_edits(self) -> None:
        line = Service.objects.get(key="linea-100")
        line.notes = "Editado por el administrador."
        line.save()
        before = Service.objects.count()
        out = io.StringIO()
        call_command("seed_directory", stdout=out)
        self.assertIn("0 created, 0 updated, 33 unchanged", out.getvalue())
        self.assertIn("0 created, 11 already there", out.getvalue())
        self.assertIn("MINSA table: 0 created", out.getvalue())
        demo.load(io.StringIO())
        self.assertEqual(Service.objects.count(), before)
        line.refresh_from_db()
        self.assertEqual(line.notes, "Editado por el administrador.")

    def test_a_deleted_shipped_service_comes_back_with_seed_directory(self) -> None:
        Service.objects.filter(key="chat-100").delete()
        call_command("seed_directory", stdout=io.StringIO())
        self.assertTrue(Service.objects.filter(key="chat-100").exists())


class UpgradeTests(TestCase):
    """An install seeded by the previous release (kit on every public post, Santa Rosa
    without a code, CEM placeholders) is corrected by migration 0005's function."""

    def test_an_old_install_is_upgraded(self) -> None:
        from ruta.directory.models import Service as S
        from ruta.directory.seed import upgrade_installed

        rosa = S.objects.get(key="hospital-santa-rosa-puerto-maldonado")
        S.objects.filter(pk=rosa.pk).update(renipress_code=None, offers=",emergency_kit,medical,",
                                            source="Ruta domain notes, Madre de Dios services (madre_de_dios.md)")
        post = S.objects.filter(renipress_code="2806").first()
        assert post is not None
        S.objects.filter(pk=post.pk).update(offers=",emergency_kit,medical,")
        placeholder = S.objects.create(key="cem-manu", name="CEM – Manu", kind="cem", district_id="170201",
                                       source="Ruta domain notes [U]")
        upgrade_installed(S, S.history.model)
        rosa.refresh_from_db()
        self.assertEqual((rosa.renipress_code, rosa.offers), ("2698", ["medical"]))
        self.assertNotIn("domain notes", rosa.source)
        self.assertEqual(S.objects.get(pk=post.pk).offers, ["medical"])
        placeholder.refresh_from_db()
        self.assertFalse(placeholder.active)

    def test_a_kit_an_administrator_recorded_is_kept(self) -> None:
        from ruta.directory.seed import upgrade_installed

        post = Service.objects.get(renipress_code="2806")
        post.offers = ["medical", "emergency_kit"]
        post._history_user = self._admin()  # type: ignore[attr-defined]
        post.save()
        upgrade_installed(Service, Service.history.model)
        post.refresh_from_db()
        self.assertIn("emergency_kit", post.offers)

    def _admin(self):  # type: ignore[no-untyped-def]
        from django.contrib.auth import get_user_model

        return get_user_model().objects.create_user("kit-admin", password="x-long-password-1")
