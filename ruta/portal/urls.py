from __future__ import annotations

from django.urls import path

from ruta.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("navega-seguro/", views.safe_browsing, name="safe_browsing"),
    path("ayuda-cerca/", views.help_near, name="help_near"),
    path("si-te-paso/", views.text_page, {"slug": "si-te-paso"}, name="if_it_happened"),
    path("que-es-violencia/", views.text_page, {"slug": "que-es-violencia"}, name="what_is_violence"),
    path("consentimiento/", views.text_page, {"slug": "consentimiento"}, name="consent"),
    path("derechos/", views.text_page, {"slug": "derechos"}, name="rights"),
    path("si-alguien-te-cuenta/", views.text_page, {"slug": "si-alguien-te-cuenta"}, name="if_someone_tells"),
    path("chicos-y-diversidad/", views.text_page, {"slug": "chicos-y-diversidad"}, name="boys_and_diversity"),
    path("preguntas/", views.questions, name="questions"),
    path("alcance-del-sitio/", views.site_reach, name="site_reach"),
]
