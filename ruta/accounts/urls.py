from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from ruta.accounts import views, views_approval

app_name = "accounts"
urlpatterns = [
    path("entrar/", views.LoginView.as_view(), name="login"),
    path("entrar/codigo/", views.two_factor, name="two_factor"),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("clave/", views.password_change, name="password_change"),
    path("clave/nueva/<str:token>/", views_approval.set_password, name="set_password"),
    path("panel/", views.home, name="home"),
    path("cuentas/pendientes/", views_approval.pending, name="pending"),
    path("cuentas/pendientes/<int:pk>/aprobar/", views_approval.approve, name="approve"),
    path("cuentas/pendientes/<int:pk>/rechazar/", views_approval.reject, name="reject"),
    path("cuentas/eventos/", views_approval.account_events, name="account_events"),
    path("sesion/seguir/", views.session_ping, name="session_ping"),
    path("bloqueos/", views.lockouts, name="lockouts"),
    path("bloqueos/<int:attempt_id>/levantar/", views.lift_lockout, name="lift_lockout"),
]
