from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from ruta.pathway.engine import plan
from ruta.pathway.inputs import parse_plan_input


class Command(BaseCommand):
    help = (
        "Print the care-pathway plan for a case as JSON, the same as POST /api/v1/pathway/plan. "
        "Bad input exits with status 1 and one message per field."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", required=True, dest="input", help="the input, as a JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            raw = json.loads(options["input"])
        except ValueError as exc:
            raise CommandError(f"--json is not valid JSON: {exc}") from exc
        if not isinstance(raw, dict):
            raise CommandError("--json must be a JSON object")
        lang = raw.get("lang")
        with translation.override("en" if lang == "en" else "es-pe"):
            data, errors = parse_plan_input(raw)
        if data is None:
            raise CommandError("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.stdout.write(json.dumps(plan(data), ensure_ascii=False, indent=2))
