from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


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
        # Each app may have a demo.py with load(stdout); they run in INSTALLED_APPS order.
        for config in apps.get_app_configs():
            if not config.name.startswith("ruta.") or config.name == "ruta.accounts":
                continue
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError:
                continue
            module.load(self.stdout)
        self.stdout.write("Demo data ready.")
