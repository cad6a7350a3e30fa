from __future__ import annotations

from django.urls import path

from ruta.stats import views

app_name = "stats"
urlpatterns = [
    path("", views.index, name="index"),
    path("cem/<slug:slug>.csv", views.table_csv, name="table_csv"),
    path("casos/", views.cases, name="cases"),
    path("cem/importar/", views.import_cem, name="import_cem"),
    path("cem/importar/<uuid:job_id>/confirmar/", views.import_confirm, name="import_confirm"),
]
