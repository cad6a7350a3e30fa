"""Imports, duplicates and exports; included into the ``program`` namespace by ``urls.py``."""

from __future__ import annotations

from django.urls import path

from ruta.program import views_io

urlpatterns = [
    path("<int:pk>/importar/", views_io.import_data, name="import"),
    path("importar/plantilla/<slug:kind>.<slug:fmt>", views_io.import_template, name="import_template"),
    path("<int:pk>/duplicados/", views_io.duplicates, name="duplicates"),
    path("<int:pk>/duplicados/fusionar/", views_io.merge, name="merge"),
    path("<int:pk>/duplicados/distintos/", views_io.not_duplicate, name="not_duplicate"),
    path("<int:pk>/exportar/", views_io.export_index, name="exports"),
    path("<int:pk>/exportar/<slug:dataset>.<slug:fmt>", views_io.export, name="export"),
    path("exportar/libro-de-codigos.csv", views_io.codebook, name="codebook"),
]
