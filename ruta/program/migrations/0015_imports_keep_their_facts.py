"""Imports set the participant facts of the attendance they write themselves (issue 16).

The trigger that keeps a participant's facts (0004) updated the participant row once per
attendance row inserted: for an import of new people, an UPDATE of a row written a moment
before, with four of its indexes, per line of the file (about 130 µs a row on SQLite, most
of an attendance import's time). From now on the trigger leaves out the attendance rows an
import writes (``import_job`` set); the importer writes new participants with their facts
already computed and recomputes, set-based, the facts of the people it added attendance to
(``ruta.program.imports.importer``; tested against this trigger's result). Every other
writer (screens, merges, raw SQL) is kept exact by the trigger as before.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.db import migrations

facts = import_module("ruta.program.migrations.0004_fact_triggers")


def _sqlite(skip_imports: bool) -> list[str]:
    when = " WHEN NEW.import_job IS NULL" if skip_imports else ""
    return [
        "DROP TRIGGER IF EXISTS program_attendance_ai;",
        f"CREATE TRIGGER program_attendance_ai AFTER INSERT ON program_attendance{when} BEGIN "
        f"{facts.attendance_insert('sqlite')} END;",
    ]


def _postgres(skip_imports: bool) -> list[str]:
    v = "postgresql"
    insert = f"IF NEW.import_job IS NULL THEN {facts.attendance_insert(v)} END IF;" if skip_imports else \
        facts.attendance_insert(v)
    return [f"""
CREATE OR REPLACE FUNCTION program_attendance_sync() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {insert}
    RETURN NEW;
  END IF;
  {facts.attendance_recompute(v, "OLD")}
  IF TG_OP = 'UPDATE' THEN
    {facts.attendance_recompute(v, "NEW")}
    RETURN NEW;
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
"""]


def statements(vendor: str, skip_imports: bool = True) -> list[str]:
    return {"sqlite": _sqlite, "postgresql": _postgres}[vendor](skip_imports) \
        if vendor in ("sqlite", "postgresql") else []


def forwards(apps: Any, schema_editor: Any) -> None:
    for sql in statements(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


def backwards(apps: Any, schema_editor: Any) -> None:
    for sql in statements(schema_editor.connection.vendor, skip_imports=False):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("program", "0014_fewer_participant_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
