from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "ruta.learning"
    label = "learning"
