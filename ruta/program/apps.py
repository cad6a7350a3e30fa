from django.apps import AppConfig


class ProgramConfig(AppConfig):
    name = "ruta.program"
    label = "program"

    def ready(self) -> None:
        # Registers the import's clean-up, which a starting worker needs before any task runs.
        from ruta.program.imports import jobs  # noqa: F401
