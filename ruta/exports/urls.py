from __future__ import annotations

from django.urls import path

from ruta.exports import views

app_name = "exports"
urlpatterns = [
    path("", views.export_list, name="list"),
    path("<int:pk>/decidir/", views.export_decide, name="decide"),
]
