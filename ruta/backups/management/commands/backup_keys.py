from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ruta.backups.archive import public_key_path
from ruta.lib import sealed


class Command(BaseCommand):
    help = (
        "Make the backup key pair: write the PRIVATE half to PRIVATE_OUT for the operator to take off the "
        "server (backups cannot be read without it), and keep the public half in RUTA_HOME, which is all "
        "`backup` needs. Refuses to replace an existing pair unless --replace."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("private_out", type=Path)
        parser.add_argument("--replace", action="store_true", help="make a new pair even if one exists")

    def handle(self, *args: Any, **options: Any) -> None:
        public = public_key_path()
        if public.exists() and not options["replace"]:
            raise CommandError(f"{public} exists already; --replace makes a new pair (older backups still need "
                               "the old private key)")
        private_pem, public_pem = sealed.new_key_pair()
        try:
            sealed.write_private(options["private_out"], private_pem)
        except FileExistsError:
            raise CommandError(f"{options['private_out']} exists: choose a new file") from None
        public.unlink(missing_ok=True)
        sealed.write_private(public, public_pem)
        self.stdout.write(f"Private key written to {options['private_out']}: move it off this server now and keep "
                          f"it safe (without it no backup can be restored).\nPublic key kept in {public}.")
