"""Error pages: light, in Spanish and English, with the quick exit, neutral titles."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.test import Client, TestCase, override_settings

from ruta.testing.cast import BaseTestCase

QUICK_EXIT = 'data-quick-exit'


def _page(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


class ErrorPagesTest(BaseTestCase):
    def _check(self, response, status: int, *texts: str) -> str:  # type: ignore[no-untyped-def]
        assert response.status_code == status
        page = _page(response)
        for text in texts:
            assert text in page, (text, page[:600])
        assert QUICK_EXIT in page and settings.RUTA_QUICK_EXIT_URL in page
        assert "Django" not in page and "violencia" not in page.split("</title>")[0].lower()
        return page

    def test_404_in_spanish_and_english(self) -> None:
        self._check(self.client.get("/no-existe/"), 404, 'lang="es"', "Página no encontrada")
        self._check(self.client.get("/en/no-such-page/"), 404, 'lang="en"', "Page not found")

    def test_403_in_spanish_and_english(self) -> None:
        self.login(self.facilitator)
        self._check(self.client.get("/bloqueos/"), 403, "Acceso no permitido")
        self._check(self.client.get("/en/bloqueos/"), 403, "Access not allowed")

    def test_400_in_spanish_and_english(self) -> None:
        self._check(self.client.get("/", HTTP_HOST="evil.example"), 400, "Solicitud no válida")
        self._check(self.client.get("/en/", HTTP_HOST="evil.example"), 400, "Bad request")

    @override_settings(ROOT_URLCONF="ruta.tests.error_urls")
    def test_500_in_spanish_and_english(self) -> None:
        client = Client(raise_request_exception=False)
        self._check(client.get("/falla/"), 500, 'lang="es"', "Algo salió mal")
        self._check(client.get("/en/falla/"), 500, 'lang="en"', "Something went wrong")

    def test_the_500_page_needs_no_database_nor_context(self) -> None:
        from django.test import RequestFactory
        from django.urls import get_callable
        from django.utils import translation

        from ruta.urls import handler500

        view = get_callable(handler500)
        with translation.override("en"), self.assertNumQueries(0):
            response = view(RequestFactory().get("/en/x/"))
        self._check(response, 500, "Something went wrong")

    def test_csrf_failure_in_spanish_and_english(self) -> None:
        client = Client(enforce_csrf_checks=True)
        self._check(client.post("/entrar/", {"username": "x", "password": "y"}), 403, "No se pudo enviar")
        self._check(client.post("/en/entrar/", {"username": "x", "password": "y"}), 403, "could not be sent")


class RateLimitedPageTest(TestCase):
    def test_429_page_in_spanish_and_english(self) -> None:
        from django.test import RequestFactory
        from django.utils import translation

        from ruta.lib.ratelimit import RateLimit, rate_limited

        view = rate_limited(RateLimit("page", 1, per_seconds=60))(lambda request: HttpResponse("ok"))
        view(RequestFactory().get("/"))
        for lang, text in (("es-pe", "Demasiadas solicitudes"), ("en", "Too many requests")):
            with translation.override(lang):
                response = view(RequestFactory().get("/"))
            assert response.status_code == 429 and int(response["Retry-After"]) > 0
            assert text in _page(response) and QUICK_EXIT in _page(response)
