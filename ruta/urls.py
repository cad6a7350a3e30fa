from __future__ import annotations

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from ruta.api.api import api

# Django renders these two without context; Ruta's give them the quick exit (ruta/lib/errors.py).
handler400 = "ruta.lib.errors.bad_request"
handler500 = "ruta.lib.errors.server_error"

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", api.urls),
]
if settings.RUTA_BENCH_BARE_VIEW:
    # Only for `python -m bench foundation`: the cheapest view Django can serve, as a yardstick.
    urlpatterns.append(path("_bench/bare/", lambda request: HttpResponse(b"ok"), name="bench-bare"))
# Spanish (Peru) at the root, English under /en/: the language is in the URL, not in a cookie.
urlpatterns += i18n_patterns(
    path("", include("ruta.portal.urls")),
    path("", include("ruta.accounts.urls")),
    path("servicios/", include("ruta.directory.urls")),
    path("guia/", include("ruta.pathway.urls")),
    path("preguntas/", include("ruta.questions.urls")),
    path("casos/", include("ruta.cases.urls")),
    path("programa/", include("ruta.program.urls")),
    path("aprendizaje/", include("ruta.learning.urls")),
    path("t/", include("ruta.learning.urls_public")),
    path("cursos/", include("ruta.learning.urls_courses")),
    path("estadisticas/", include("ruta.stats.urls")),
    path("cifras/", include("ruta.stats.public_urls")),
    path("reportes/", include("ruta.reports.urls")),
    path("tareas/", include("ruta.jobs.urls")),
    path("exportaciones/", include("ruta.exports.urls")),
    path("borrados/", include("ruta.retention.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
