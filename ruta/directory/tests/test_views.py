from __future__ import annotations

import gzip
import re

from django.contrib.staticfiles import finders
from django.test import TestCase

from ruta.directory.models import Service


def weight(html: bytes) -> int:
    """Compressed bytes of the page plus the stylesheet and scripts it links to."""
    total = len(gzip.compress(html, 9))
    for url in re.findall(rb'(?:href|src)="/static/([^"]+)"', html):
        found = finders.find(url.decode())
        assert isinstance(found, str), url
        with open(found, "rb") as f:
            total += len(gzip.compress(f.read(), 9))
    return total


class ListTests(TestCase):
    def test_it_is_public_in_spanish_and_english(self) -> None:
        es = self.client.get("/servicios/")
        self.assertContains(es, "Dónde encontrar ayuda")
        self.assertContains(es, "por confirmar")
        en = self.client.get("/en/servicios/")
        self.assertContains(en, "Where to get help")
        self.assertContains(en, "to be confirmed")
        self.assertNotIn("Set-Cookie", str(en.headers))
        self.assertFalse(es.cookies)

    def test_it_opens_on_madre_de_dios_with_national_lines(self) -> None:
        response = self.client.get("/en/servicios/")
        self.assertContains(response, "129 services")
        self.assertContains(response, 'href="tel:100"')
        self.assertContains(response, "Province of Tambopata")

    def test_it_filters_by_district_kind_and_offer(self) -> None:
        response = self.client.get("/en/servicios/", {"district": "170302"})
        names = [s.name for s in response.context["page"]]
        self.assertIn("Centro de Salud San Martin de Porres de Iberia", names)
        self.assertIn("Línea 100", names)  # national lines are everywhere
        self.assertNotIn("Puesto de Salud La Novia", names)  # Tahuamanu district
        self.assertContains(response, '<option value="17" selected>Madre de Dios</option>', html=True)
        self.assertEqual(names[0], "Línea 100")  # national lines first, the 24-hour one on top
        response = self.client.get("/en/servicios/", {"kind": "cem"})
        self.assertContains(response, "8 services")
        response = self.client.get("/en/servicios/", {"offer": "legal", "district": "170101"})
        self.assertEqual(
            sorted(s.name for s in response.context["page"]),
            ["Centro Emergencia Mujer (CEM) Madre de Dios", "Mega ALEGRA Tambopata (MINJUSDH)"],
        )
        response = self.client.get("/en/servicios/", {"offer": "emergency_kit", "district": "170101"})
        self.assertEqual([s.name for s in response.context["page"]], [])  # until an administrator records it

    def test_a_district_lists_its_services_nearest_first_in_km(self) -> None:
        response = self.client.get("/en/servicios/", {"district": "170101"})
        local = [s for s in response.context["page"] if not s.national]
        self.assertTrue(local)
        located = [s.km for s in local if s.km is not None]
        self.assertEqual(located, sorted(located))
        self.assertContains(response, "km from the district's centre")

    def test_a_bad_filter_gets_a_message_in_the_users_language(self) -> None:
        response = self.client.get("/servicios/", {"kind": "spaceship"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Escoja una opción válida")
        response = self.client.get("/en/servicios/", {"offer": "x"})
        self.assertContains(response, "Select a valid choice")

    def test_it_pages_a_national_size_directory(self) -> None:
        Service.objects.bulk_create(
            Service(name=f"Posta {i}", kind="health", district_id="170104", source="t") for i in range(60)
        )
        first = self.client.get("/en/servicios/", {"district": "170104"})
        self.assertContains(first, "Page 1 of 2")
        self.assertContains(first, "district=170104&amp;page=2")
        self.assertEqual(self.client.get("/en/servicios/", {"district": "170104", "page": "2"}).status_code, 200)

    def test_it_stays_within_the_public_page_budget(self) -> None:
        for path in ("/servicios/", "/en/servicios/?department=17", "/servicios/imprimir/1701/"):
            response = self.client.get(path)
            self.assertLessEqual(weight(response.content), 30 * 1024, path)
            self.assertNotIn(b"<script>", response.content)  # nothing inline (CSP)


class DetailTests(TestCase):
    def test_it_shows_source_mark_and_call_link(self) -> None:
        gesell = Service.objects.get(key="mp-camara-gesell-madre-de-dios")
        response = self.client.get(f"/en/servicios/{gesell.pk}/")
        self.assertContains(response, "Av. Fitzcarrald 427")
        self.assertContains(response, "from public sources")
        self.assertContains(response, "Cámara Gesell de Madre de Dios, desde 2018")
        santa_maria = Service.objects.get(renipress_code="2807")
        response = self.client.get(f"/servicios/{santa_maria.pk}/")
        self.assertContains(response, 'href="tel:931494291"')
        self.assertContains(response, "openstreetmap.org/?mlat=-11.894726")
        self.assertContains(response, "Ver en un mapa")

    def test_an_inactive_service_is_gone(self) -> None:
        service = Service.objects.get(key="chat-100")
        service.active = False
        service.save()
        self.assertEqual(self.client.get(f"/servicios/{service.pk}/").status_code, 404)


class PrintTests(TestCase):
    def test_one_page_per_province(self) -> None:
        response = self.client.get("/en/servicios/imprimir/1703/")
        self.assertContains(response, "province of Tahuamanu (Madre de Dios)")
        self.assertContains(response, "Puesto de Salud La Novia")
        self.assertContains(response, "Línea 100")
        self.assertNotContains(response, "Puesto de Salud Fortuna")  # Tambopata province
        self.assertContains(self.client.get("/servicios/imprimir/1701/"), "Dónde encontrar ayuda")

    def test_a_province_without_services_or_unknown_is_404(self) -> None:
        self.assertEqual(self.client.get("/servicios/imprimir/0801/").status_code, 404)
        self.assertEqual(self.client.get("/servicios/imprimir/9999/").status_code, 404)
