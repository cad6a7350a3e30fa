from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from ruta.learning import views_public

app_name = "t"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_public.join, name="join"),
    path("<str:token>/", views_public.place, name="place"),
    path("<str:token>/quien/", views_public.who, name="who"),
    path("<str:token>/responder/", views_public.answer, name="answer"),
    path("<str:token>/ayuda/", views_public.help_page, name="help"),
]
