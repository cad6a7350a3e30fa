from __future__ import annotations

from django.urls import path

from ruta.retention import views

app_name = "retention"
urlpatterns = [
    path("", views.erasures, name="erasures"),
    path("solicitar/", views.erasure_request, name="erasure_request"),
    path("<int:pk>/decidir/", views.erasure_decide, name="erasure_decide"),
]
