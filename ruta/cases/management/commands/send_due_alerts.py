from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from ruta.cases.alerts import send_due_alerts


class Command(BaseCommand):
    help = (
        "E-mail each case worker the cases whose referrals or follow-ups are due within N hours or overdue: "
        "only a link and the case code, never personal data. Each alert goes once (once when due soon, once "
        "when overdue); safe to run every minute from cron, even overlapping runs (optimistic lock)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--hours", type=int, default=24, help="how far ahead counts as due soon (default 24)")

    def handle(self, *args: Any, **options: Any) -> None:
        n = send_due_alerts(timezone.now(), options["hours"])
        if options["verbosity"] > 1:
            self.stdout.write(f"{n} e-mails sent")
