from django.apps import AppConfig


class ProgramConfig(AppConfig):
    name = "ruta.program"
    label = "program"
