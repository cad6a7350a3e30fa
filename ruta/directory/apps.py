from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "ruta.directory"
    label = "directory"
