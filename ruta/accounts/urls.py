from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from ruta.accounts import views

app_name = "accounts"
urlpatterns = [
    path("entrar/", views.LoginView.as_view(), name="login"),
    path("entrar/codigo/", views.two_factor, name="two_factor"),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("clave/", views.password_change, name="password_change"),
    path("panel/", views.home, name="home"),
    path("bloqueos/", views.lockouts, name="lockouts"),
    path("bloqueos/<int:attempt_id>/levantar/", views.lift_lockout, name="lift_lockout"),
]
