from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from ruta.learning import views

app_name = "learning"
urlpatterns: list[URLPattern | URLResolver] = [
    path("actividad/<int:pk>/prueba/", views.start, name="start"),
    path("actividad/<int:pk>/papel/", views.paper_entry, name="paper_entry"),
    path("sesion/<int:pk>/", views.live, name="live"),
    path("sesion/<int:pk>/estado/", views.live_panel, name="live_panel"),
    path("sesion/<int:pk>/telefono/<int:seat>/", views.seat_decide, name="seat_decide"),
    path("sesion/<int:pk>/cerrar/", views.close, name="close"),
    path("cursos/<slug:code>/papel/<str:form>/<slug:sheet>/", views.paper, name="paper"),
    path("informes/", views.reports, name="reports"),
    path("informes/<slug:code>/", views.report, name="report"),
    path("informes/<slug:code>/<slug:fmt>/", views.report_export, name="report_export"),
]
