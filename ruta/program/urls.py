from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from ruta.program import urls_io, views, views_dashboard, views_roster, views_schools

app_name = "program"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("<int:pk>/actividades/nueva/", views.activity_new, name="activity_new"),
    path("actividades/<int:pk>/", views.activity, name="activity"),
    path("actividades/<int:pk>/editar/", views.activity_edit, name="activity_edit"),
    path("actividades/<int:pk>/buscar/", views.activity_search, name="activity_search"),
    path("actividades/<int:pk>/asistencia/agregar/", views.attendance_add, name="attendance_add"),
    path("actividades/<int:pk>/asistencia/quitar/", views.attendance_remove, name="attendance_remove"),
    path("actividades/<int:pk>/participante-nuevo/", views.participant_new, name="participant_new"),
    path("actividades/<int:pk>/prueba/", views.sheet_choose, name="sheet_choose"),
    path("actividades/<int:pk>/prueba/<int:instrument>/<slug:phase>/", views.sheet, name="sheet"),
    path("<int:pk>/participantes/", views.participants, name="participants"),
    path("<int:pk>/metas/", views.programme_settings, name="settings"),
    path("<int:pk>/metas/<int:target>/quitar/", views.target_remove, name="target_remove"),
    path("<int:pk>/tablero/", views_dashboard.dashboard, name="dashboard"),
    path("<int:pk>/tablero/<slug:chart>.svg", views_dashboard.chart, name="chart"),
    path("escuelas/", views_schools.schools, name="schools"),
    path("actividades/<int:pk>/lista-de-clase/", views_roster.roster, name="roster"),
]

# Imports, duplicates and exports live in their own module (``urls_io.py``), same namespace.
urlpatterns += urls_io.urlpatterns
