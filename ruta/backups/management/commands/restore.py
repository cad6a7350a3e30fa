from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ruta.backups.archive import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Replace the whole database with an encrypted backup (stop the web server and the worker first). "
        "Refuses when the present key ring lacks a key the backup needs. Afterwards it checks the row counts "
        "against the backup's manifest, appends a 'restored' event to the access log, verifies the log's "
        "chain and decrypts a sample."
    )

    # The database is about to be replaced: the key canary of the one in place says nothing about
    # the backup. The command checks the keys the backup needs itself, then decrypts a sample.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--key", type=Path, required=True, help="the backup PRIVATE key file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = restore_backup(options["archive"], options["key"])
        except (BackupError, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from None
        if options["verbosity"] >= 2:  # for the rehearsal log (docs/operations.md)
            for table, n in sorted(summary.counts.items()):
                self.stdout.write(f"{table}\t{n}")
        self.stdout.write(f"Restored {sum(summary.counts.values())} rows in {len(summary.counts)} tables; access "
                          f"log intact, restored at head {summary.head}; sample decrypted: "
                          f"{'yes' if summary.sample_decrypted else 'no encrypted data'}")
