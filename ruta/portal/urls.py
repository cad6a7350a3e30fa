from __future__ import annotations

from django.urls import path

from ruta.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("navega-seguro/", views.safe_browsing, name="safe_browsing"),
]
