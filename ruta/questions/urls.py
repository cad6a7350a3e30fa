from __future__ import annotations

from django.urls import path

from ruta.questions import views

app_name = "questions"
urlpatterns = [
    path("enviar/", views.ask, name="ask"),
    path("leer/", views.read, name="read"),
    path("equipo/", views.queue, name="queue"),
    path("equipo/<int:pk>/", views.detail, name="detail"),
    path("equipo/<int:pk>/derivar/", views.pass_on, name="pass_on"),
    path("equipo/<int:pk>/publicar/", views.publish, name="publish"),
    path("equipo/publicaciones/<int:pk>/", views.proposal, name="proposal"),
]
