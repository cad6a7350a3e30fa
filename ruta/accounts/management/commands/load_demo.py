from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# After the demo cast, each of these ``load(stdout)``s runs in this order (reports needs the
# programme; cases the directory).
DEMO_MODULES = [f"ruta.{app}.demo" for app in ("directory", "cases", "program", "reports", "questions", "learning")]


class Command(BaseCommand):
    help = (
        "Load the demo organisations, users and each app's demo data (idempotent: running it "
        "again adds nothing twice). Only in demo mode (RUTA_DEMO=true)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.RUTA_DEMO:
            raise CommandError("Demo data is only loaded in demo mode (RUTA_DEMO=true).")
        from ruta.accounts.demo import load_demo_cast

        load_demo_cast()
        for name in DEMO_MODULES:
            import_module(name).load(self.stdout)
        self.stdout.write("Demo data ready.")
