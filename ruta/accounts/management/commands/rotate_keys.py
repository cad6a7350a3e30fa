from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count

from ruta.keys.canary import reseal
from ruta.lib.crypto import DecryptionError, keyring
from ruta.lib.fields import encrypted_fields
from ruta.lib.keys import audit_ring

BATCH = 500


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value still sealed with an older key so it uses the first "
        "key of RUTA_ENCRYPTION_KEYS. Dry run unless --for-real. Each batch commits on its own, "
        "so the command can be stopped and run again; a value that does not decrypt is left "
        "untouched and reported. The key canary is sealed again with the new key. It also shows "
        "which audit keys (RUTA_AUDIT_KEYS) signed the access log: those are never re-signed, so "
        "keep every audit key that signed an event you keep."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--for-real", action="store_true", help="write the new ciphertexts")

    def handle(self, *args: Any, for_real: bool = False, **options: Any) -> None:
        ring = keyring()
        prefix = ring.primary_prefix
        total = failed = 0
        for model in apps.get_models():
            fields = encrypted_fields(model)
            if not fields:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            pk = connection.ops.quote_name(model._meta.pk.column)
            for field in fields:
                col = connection.ops.quote_name(field.column)
                stale = self._count(table, col, prefix)
                total += stale
                if not stale:
                    continue
                self.stdout.write(f"{model._meta.label}.{field.name}: {stale} values on an older key")
                if for_real:
                    failed += self._rotate(table, pk, col, field.context(), prefix)
        self._audit_keys_in_use()
        if not for_real:
            self.stdout.write(f"Dry run: {total} values would be re-encrypted with key {ring.primary_id}. "
                              "Run again with --for-real.")
            return
        if failed:
            raise CommandError(f"{failed} values could not be decrypted and were left as they were")
        if not reseal(ring):
            raise CommandError("The key canary does not decrypt with this ring: it holds none of the keys "
                               "the database was set up with (see manage.py check)")
        self.stdout.write(f"Done: {total} values now use key {ring.primary_id}; "
                          "the older keys can be removed once every instance has run this.")

    def _audit_keys_in_use(self) -> None:
        from ruta.audit.models import AccessEvent

        used = AccessEvent.objects.values_list("key_id").annotate(n=Count("id")).order_by("key_id")
        ring = audit_ring()
        for key_id, n in used:
            where = "signs new events" if key_id == ring.primary_id else (
                "in the ring" if key_id in ring.keys else "MISSING from RUTA_AUDIT_KEYS")
            self.stdout.write(f"access events signed with audit key {key_id or '(none)'}: {n} ({where})")

    def _count(self, table: str, col: str, prefix: str) -> int:
        with connection.cursor() as cur:
            cur.execute(f"SELECT COUNT(*) FROM {table} WHERE {col} IS NOT NULL AND {col} NOT LIKE %s",
                        [prefix + "%"])
            return int(cur.fetchone()[0])

    def _rotate(self, table: str, pk: str, col: str, context: str, prefix: str) -> int:
        ring = keyring()
        last: Any = None
        failed = 0
        while True:
            with transaction.atomic(), connection.cursor() as cur:
                where = f"{col} IS NOT NULL AND {col} NOT LIKE %s"
                params: list[Any] = [prefix + "%"]
                if last is not None:
                    where += f" AND {pk} > %s"
                    params.append(last)
                cur.execute(f"SELECT {pk}, {col} FROM {table} WHERE {where} ORDER BY {pk} LIMIT {BATCH}", params)
                rows = cur.fetchall()
                if not rows:
                    return failed
                for row_pk, token in rows:
                    try:
                        plain = ring.decrypt(token, context)
                    except DecryptionError as e:
                        failed += 1
                        self.stderr.write(f"{table} id {row_pk}: {e}")
                        continue
                    # Only replace the exact value read: a concurrent edit already wrote the new key.
                    cur.execute(f"UPDATE {table} SET {col} = %s WHERE {pk} = %s AND {col} = %s",
                                [ring.encrypt(plain, context), row_pk, token])
                last = rows[-1][0]
