from __future__ import annotations

from django.urls import path

from ruta.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("programa/<int:pk>/", views.donor, name="donor"),
    path("programa/<int:pk>/reporte.pdf", views.donor_pdf, name="donor_pdf"),
    path("programa/<int:pk>/reporte.xlsx", views.donor_xlsx, name="donor_xlsx"),
    path("programa/<int:pk>/narrativa/", views.narrative, name="narrative"),
    path("programa/<int:pk>/dhis2.<str:fmt>", views.donor_dhis2, name="dhis2"),
]
