from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ruta.api"
    label = "api"
