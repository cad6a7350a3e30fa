from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ruta.backups.archive import BackupError, make_backup


class Command(BaseCommand):
    help = (
        "Write one encrypted, compressed archive of the whole database to OUT while Ruta keeps running "
        "(SQLite's online backup API; pg_dump on PostgreSQL), sealed to the backup public key. It lists the "
        "ids of the data keys it needs, never the keys; plaintext on the way stays in RUTA_HOME (0600) and "
        "is removed even on failure."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("out", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = make_backup(options["out"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(summary.counts.values())
        self.stdout.write(f"Backup written to {summary.path} ({summary.size} bytes, {len(summary.counts)} tables, "
                          f"{rows} rows); needs encryption keys {', '.join(summary.keys['encryption_key_ids'])}")
