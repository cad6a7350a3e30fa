from __future__ import annotations

from django.urls import path

from ruta.jobs import views

app_name = "jobs"
urlpatterns = [
    path("<uuid:job_id>/", views.job, name="job"),
    path("<uuid:job_id>/estado/", views.status, name="status"),
    path("<uuid:job_id>/descargar/", views.download, name="download"),
]
