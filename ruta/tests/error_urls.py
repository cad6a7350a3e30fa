"""Ruta's URLs plus one that fails, to see the 500 page through the whole stack."""

from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpRequest, HttpResponse
from django.urls import path

from ruta.urls import handler400, handler500  # noqa: F401
from ruta.urls import urlpatterns as ruta_urlpatterns


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [*ruta_urlpatterns, *i18n_patterns(path("falla/", fail), prefix_default_language=False)]
