from __future__ import annotations

from django.db import IntegrityError, transaction
from django.test import TestCase

from ruta.directory.fields import decode_codes, encode_codes
from ruta.directory.models import Service


def make(name: str, **kwargs: object) -> Service:
    kwargs.setdefault("kind", "health")
    kwargs.setdefault("source", "test")
    return Service.objects.create(name=name, **kwargs)


def proximity(service: Service) -> int:
    """The tier ``for_plan`` annotates: 0 same district … 3 national."""
    return int(service.proximity)  # type: ignore[attr-defined]


class CodeListTests(TestCase):
    def test_it_round_trips_a_list(self) -> None:
        s = make("A", offers=["medical", "emergency_kit", "medical"], district_id="170101")
        s.refresh_from_db()
        self.assertEqual(s.offers, ["emergency_kit", "medical"])
        self.assertEqual(encode_codes([]), ",")
        self.assertEqual(decode_codes(",a,b,"), ["a", "b"])

    def test_has_matches_whole_codes_only(self) -> None:
        kit = make("Kit", offers=["emergency_kit"], district_id="170101")
        make("Medical", offers=["medical"], district_id="170101")
        # "_" must not act as a LIKE wildcard, nor a prefix match a longer code.
        ours = Service.objects.filter(key__isnull=True, renipress_code__isnull=True)
        self.assertEqual(list(ours.filter(offers__has="emergency_kit")), [kit])
        self.assertFalse(ours.filter(offers__has="emergency").exists())
        self.assertFalse(ours.filter(offers__has="emergencyXkit").exists())
        self.assertFalse(ours.filter(offers__has="%").exists())

    def test_a_service_needs_a_district_unless_national(self) -> None:
        with self.assertRaises(IntegrityError), transaction.atomic():
            make("Nowhere", offers=["information"])
        make("Línea", offers=["information"], national=True)


class PhoneTests(TestCase):
    def test_first_phone_makes_the_tel_link(self) -> None:
        s = Service(name="x", kind="police", phones="(082) 57-1234; 999 888 777")
        self.assertEqual(s.phone_list, ["(082) 57-1234", "999 888 777"])
        self.assertEqual(s.tel_uri, "tel:082571234")
        self.assertEqual(Service(name="y", kind="police", phones="").tel_uri, "")

    def test_card_has_the_engine_shape(self) -> None:
        s = make("A", offers=["medical"], district_id="170101", phones="100 / 105", open_24h=True)
        self.assertEqual(
            s.card(),
            {"id": s.pk, "name": "A", "kind": "health", "district": "170101", "phone": "100", "open_24h": True},
        )


class ForPlanTests(TestCase):
    """Test data lives in Cusco (08) so the shipped Madre de Dios directory does not interfere."""

    def setUp(self) -> None:
        make("Same district", offers=["medical", "emergency_kit"], district_id="080101")
        make("Province A, daytime", offers=["emergency_kit"], district_id="080103")
        make("Province B, 24 h", offers=["emergency_kit"], district_id="080102", open_24h=True)
        make("Same department", offers=["emergency_kit"], district_id="080201", open_24h=True)
        make("Other department", offers=["emergency_kit"], district_id="150101")
        make("Inactive", offers=["emergency_kit"], district_id="080101", active=False)
        self.line = Service.objects.get(key="linea-100")

    def names(self, qs: object) -> list[str]:
        return [s.name for s in qs if s.key is None or s.key == "linea-100"]  # type: ignore[attr-defined]

    def test_it_orders_district_province_department_national(self) -> None:
        result = list(Service.objects.for_plan("080101"))
        ours = self.names(result)
        self.assertEqual(
            ours, ["Same district", "Province A, daytime", "Province B, 24 h", "Same department", "Línea 100"]
        )
        self.assertEqual([proximity(s) for s in result if s.name in ours], [0, 1, 1, 2, 3])
        names = [s.name for s in result]
        self.assertNotIn("Other department", names)
        self.assertNotIn("Inactive", names)
        # Madre de Dios services are in another department: not offered for Cusco.
        self.assertFalse(any(s.district_id and s.district_id.startswith("17") for s in result))

    def test_urgent_puts_open_24h_first_within_a_tier(self) -> None:
        ours = self.names(Service.objects.for_plan("080101", offers=["emergency_kit"], urgent=True))
        self.assertEqual(ours, ["Same district", "Province B, 24 h", "Province A, daytime", "Same department"])
        # The survivor's own district still comes first, even when it is not open 24 h.
        ours = self.names(Service.objects.for_plan("080103", offers=["emergency_kit"], urgent=True))
        self.assertEqual(ours, ["Province A, daytime", "Province B, 24 h", "Same district", "Same department"])

    def test_kinds_and_offers_narrow_the_result(self) -> None:
        self.assertEqual(self.names(Service.objects.for_plan("080101", offers=["medical"])), ["Same district"])
        self.assertEqual(self.names(Service.objects.for_plan("080101", kinds=["hotline"])), ["Línea 100"])
        self.assertEqual(self.names(Service.objects.for_plan("080101", kinds=["hotline"], offers=["medical"])), [])

    def test_without_district_only_national_services(self) -> None:
        result = list(Service.objects.for_plan(None))
        self.assertTrue(result and all(s.national for s in result))
        self.assertIn(self.line, result)

    def test_shipped_madre_de_dios_services_answer_a_tambopata_plan(self) -> None:
        # No shipped facility offers the kit until an administrator records it.
        self.assertEqual(list(Service.objects.for_plan("170101", offers=["emergency_kit"])), [])
        Service.objects.filter(renipress_code="2698").update(offers=",emergency_kit,medical,")
        Service.objects.filter(district_id="170302", kind="health", open_24h=True).update(
            offers=",emergency_kit,medical,")
        kit = list(Service.objects.for_plan("170101", kinds=["health"], offers=["emergency_kit"], urgent=True))
        self.assertEqual(kit[0].name, "Hospital Santa Rosa de Puerto Maldonado")
        self.assertEqual(proximity(kit[0]), 0)
        self.assertIn("170302", [s.district_id for s in kit])  # Iberia: same department
        iberia = [s for s in kit if proximity(s) == 2]
        self.assertTrue(iberia[0].open_24h)  # urgent: the 24-hour centre leads its tier
