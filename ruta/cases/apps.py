from __future__ import annotations

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "ruta.cases"
    label = "cases"

    def ready(self) -> None:
        from ruta.accounts.approval import register_handover_check
        from ruta.cases.handover import open_cases_blocker

        register_handover_check(open_cases_blocker)
