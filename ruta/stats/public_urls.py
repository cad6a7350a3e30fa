"""The public statistics page (``/cifras/``): protected CEM figures for advocacy, no login."""

from __future__ import annotations

from django.urls import path

from ruta.stats import views

app_name = "figures"
urlpatterns = [
    path("", views.public_index, name="index"),
    path("<slug:slug>.csv", views.public_csv, name="table_csv"),
]
