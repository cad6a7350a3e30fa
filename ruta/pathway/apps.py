from django.apps import AppConfig


class PathwayConfig(AppConfig):
    name = "ruta.pathway"
    label = "pathway"
