from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ruta.accounts.demo import demo_logins


class Command(BaseCommand):
    help = "Print each demo user's username, role, password and TOTP secret. Refuses outside demo mode."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args: Any, json: bool = False, **options: Any) -> None:  # noqa: A002
        if not settings.RUTA_DEMO:
            raise CommandError("Demo credentials exist only in demo mode (RUTA_DEMO=true).")
        logins = demo_logins()
        if json:
            self.stdout.write(_dumps([asdict(x) for x in logins]))
            return
        for x in logins:
            extra = f"  TOTP secret: {x.totp_secret}" if x.totp_secret else ""
            self.stdout.write(f"{x.role:16} {x.username:14} {x.password}{extra}")


def _dumps(data: Any) -> str:
    return json.dumps(data, indent=2)
