from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ruta.audit.actions import first_broken_link
from ruta.audit.checkpoint import checkpoint_problems, read_checkpoints
from ruta.audit.models import AccessEvent


class Command(BaseCommand):
    help = ("Check the access log: its hash chain, every event's signature (RUTA_AUDIT_KEYS) and the "
            "checkpoints in RUTA_HOME/audit_checkpoints.log; exit non-zero and name the first problem.")

    def handle(self, *args: Any, **options: Any) -> None:
        broken = first_broken_link()
        if broken:
            raise CommandError(f"Access log broken at event {broken[0]}: {broken[1]}")
        problems = checkpoint_problems()
        if problems:
            raise CommandError("Access log does not match its checkpoints: " + "; ".join(problems))
        last = AccessEvent.objects.order_by("-id").values_list("id", "mac").first()
        head = f"; last event {last[0]} {last[1]}" if last else ""
        points, _ = read_checkpoints()
        seen = (f"; agrees with {len(points)} checkpoints, the latest at {points[-1].at}" if points
                else "; no checkpoint yet, so removing the newest events would go unseen")
        self.stdout.write(f"Access log intact: {AccessEvent.objects.count()} events{head}{seen}")
