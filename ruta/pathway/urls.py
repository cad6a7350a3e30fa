from __future__ import annotations

from django.urls import path

from ruta.pathway import views

app_name = "pathway"
urlpatterns = [
    path("", views.guide, name="guide"),
    path("datos.json", views.offline_data, name="offline_data"),
    path("sw.js", views.service_worker, name="service_worker"),
]
