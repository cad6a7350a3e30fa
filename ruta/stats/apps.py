from __future__ import annotations

from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "ruta.stats"
    label = "stats"

    def ready(self) -> None:
        from ruta.jobs.actions import register_cleanup
        from ruta.stats import tasks

        register_cleanup(tasks.IMPORT_KIND, tasks.cleanup_import)
