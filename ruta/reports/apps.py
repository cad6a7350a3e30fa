from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ruta.reports"
    label = "reports"
