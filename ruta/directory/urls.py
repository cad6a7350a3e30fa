from __future__ import annotations

from django.urls import path

from ruta.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.service_list, name="list"),
    path("<int:pk>/", views.service_detail, name="detail"),
    path("imprimir/<str:code>/", views.province_print, name="print"),
]
