"""``manage.py load_courses [--content PATH]``: check and store the course files again (after an
edit). A used test version is never changed: changed questions make a new version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ruta.learning.loader import CONTENT, ContentError, load_courses


class Command(BaseCommand):
    help = "Check and load the courses in ruta/learning/content/ (or --content)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--content", type=Path, default=CONTENT)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            n = load_courses(options["content"])
        except ContentError as exc:
            raise CommandError("\n".join([str(exc).split(":")[0] + ":", *(f"  - {p}" for p in exc.problems)])) from exc
        self.stdout.write(f"{n} courses loaded")
