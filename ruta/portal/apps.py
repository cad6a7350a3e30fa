from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "ruta.portal"
    label = "portal"
