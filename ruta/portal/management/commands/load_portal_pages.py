from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ruta.portal import reference


class Command(BaseCommand):
    help = "Copy the public pages' files (ruta/portal/content) into the database; --force overwrites edits."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        n = reference.load(force=options["force"])
        self.stdout.write(f"{n} public pages written")
