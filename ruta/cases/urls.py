from __future__ import annotations

from django.urls import path

from ruta.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("hoy/", views.today, name="today"),
    path("nombres/", views.names, name="names"),
    path("nuevo/", views.case_open, name="open"),
    path("exportar/", views.export_view, name="export"),
    path("reasignar/<int:pk>/", views.reassign, name="reassign"),
    path("<str:code>/", views.case_detail, name="detail"),
    path("<str:code>/imprimir/", views.case_print, name="print"),
    path("<str:code>/propuesta/", views.proposal, name="proposal"),
    path("<str:code>/derivaciones/nueva/", views.referral_new, name="referral_new"),
    path("<str:code>/derivaciones/<int:pk>/", views.referral_edit, name="referral_edit"),
    path("<str:code>/consentimiento/", views.consent, name="consent"),
    path("<str:code>/consentimiento/retirar/", views.consent_withdraw, name="consent_withdraw"),
    path("<str:code>/seguimiento/", views.followup, name="followup"),
    path("<str:code>/riesgo/", views.risk, name="risk"),
    path("<str:code>/sobreviviente/", views.survivor_edit, name="survivor"),
    path("<str:code>/incidentes/nuevo/", views.incident_new, name="incident_new"),
    path("<str:code>/asignar/", views.assign, name="assign"),
    path("<str:code>/cierre/", views.closure_request, name="closure_request"),
    path("<str:code>/cierre/decidir/", views.closure_decide, name="closure_decide"),
    path("<str:code>/reabrir/", views.reopen, name="reopen"),
    path("<str:code>/accesos/", views.access_log, name="access_log"),
    path("<str:code>/borrar/", views.erase, name="erase"),
    path("<str:code>/borrar/decidir/", views.erase_decide, name="erase_decide"),
]
