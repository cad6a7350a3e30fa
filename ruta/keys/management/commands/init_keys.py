from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

from ruta.keys.canary import CANARY_TABLE, encrypted_data
from ruta.lib import keys


class Command(BaseCommand):
    help = (
        "Create the instance's missing keys in RUTA_HOME (mode 0600): secret_key, encryption_keys, "
        "search_key, audit_keys. It never overwrites a key, never writes one given through a "
        "variable, and refuses while the database holds encrypted data (or, for the audit key, "
        "signed access events): a new key there would make the data unreadable. Safe to run at "
        "every start, before migrate."
    )
    requires_system_checks: list[str] = []  # the key check would refuse the very keys this creates

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--new-secret-key", action="store_true",
                            help="create a lost secret_key even though data exists (everyone is logged out)")

    def handle(self, *args: Any, new_secret_key: bool = False, **options: Any) -> None:
        home = settings.RUTA_HOME
        missing = [spec for spec in keys.ALL if _missing(spec, home)]
        if missing:
            self._create(missing, home, new_secret_key=new_secret_key)
        bad = [keys.problem(spec, home, keys.read_key(spec, home)) for spec in keys.ALL if spec not in missing]
        if any(bad):
            raise CommandError("\n".join(p for p in bad if p))
        if not missing:
            self.stdout.write("Every key is present; nothing written.")

    def _create(self, missing: list[keys.KeySpec], home: Any, *, new_secret_key: bool) -> None:
        try:
            data = encrypted_data()
            signed = _signed_audit_events()
        except DatabaseError as e:
            raise CommandError(f"The database cannot be read ({e.__class__.__name__}), so init_keys cannot "
                               "tell whether it holds encrypted data; no key was written.") from e
        refused = []
        for spec in missing:
            if spec is keys.AUDIT_KEYS:
                reason = signed
            elif spec is keys.SECRET_KEY and new_secret_key:
                reason = ""
            else:
                reason = f"the database holds encrypted data ({', '.join(data[:3])})" if data else ""
            if reason:
                refused.append(f"{spec.setting}: {keys.source_of(spec, home).label} does not exist and "
                               f"{reason}. {keys.remedy(spec, new_instance_hint=False)}.")
        if refused:
            raise CommandError("No key was written.\n" + "\n".join(refused))
        for path in keys.create_missing_key_files(home):
            self.stdout.write(f"Wrote {path} (mode 0600).")
        self.stdout.write("Back up these key files apart from the database: without them its encrypted "
                          "data cannot be read (docs/operations.md, 'Keys').")


def _missing(spec: keys.KeySpec, home: Any) -> bool:
    """Only a key kept in RUTA_HOME is init_keys' to create; a variable is the operator's."""
    src = keys.source_of(spec, home)
    return src.kind == "home-file" and src.path is not None and not src.path.exists()


def _signed_audit_events() -> str:
    """Why a new audit key would orphan existing signatures, or ""."""
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cur:
        if CANARY_TABLE in tables:
            cur.execute(f"SELECT COUNT(*) FROM {CANARY_TABLE}")
            if cur.fetchone()[0]:
                return "the key canary in the database was signed with the lost audit key"
        if "audit_accessevent" in tables:
            columns = {c.name for c in connection.introspection.get_table_description(cur, "audit_accessevent")}
            if "mac" in columns:
                cur.execute("SELECT COUNT(*) FROM audit_accessevent WHERE mac <> ''")
                if cur.fetchone()[0]:
                    return "access events in the database are signed with the lost audit key"
    return ""
