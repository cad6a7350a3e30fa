"""Keep Participant.first_attended_on / last_attended_on / sessions_attended equal to the
participant's attendance rows, in the database itself, whoever writes them (screens,
imports, merges, raw SQL). Inserts adjust in O(1); deletes and updates recompute the
participant from the index (participant, date)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

RECOMPUTE = """
UPDATE program_participant SET
  sessions_attended = (SELECT COUNT(*) FROM program_attendance a WHERE a.participant_id = {ref}.participant_id),
  first_attended_on = (SELECT MIN(a.date) FROM program_attendance a WHERE a.participant_id = {ref}.participant_id),
  last_attended_on = (SELECT MAX(a.date) FROM program_attendance a WHERE a.participant_id = {ref}.participant_id)
WHERE id = {ref}.participant_id;
"""

ON_INSERT = """
UPDATE program_participant SET
  sessions_attended = sessions_attended + 1,
  first_attended_on = CASE WHEN first_attended_on IS NULL OR NEW.date < first_attended_on
                           THEN NEW.date ELSE first_attended_on END,
  last_attended_on = CASE WHEN last_attended_on IS NULL OR NEW.date > last_attended_on
                          THEN NEW.date ELSE last_attended_on END
WHERE id = NEW.participant_id;
"""

SQLITE_CREATE = [
    f"CREATE TRIGGER program_attendance_ai AFTER INSERT ON program_attendance BEGIN {ON_INSERT} END;",
    "CREATE TRIGGER program_attendance_ad AFTER DELETE ON program_attendance BEGIN "
    + RECOMPUTE.format(ref="OLD")
    + " END;",
    "CREATE TRIGGER program_attendance_au AFTER UPDATE OF participant_id, date ON program_attendance BEGIN "
    + RECOMPUTE.format(ref="OLD")
    + RECOMPUTE.format(ref="NEW")
    + " END;",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS program_attendance_ai;",
    "DROP TRIGGER IF EXISTS program_attendance_ad;",
    "DROP TRIGGER IF EXISTS program_attendance_au;",
]

POSTGRES_CREATE = [
    f"""
CREATE OR REPLACE FUNCTION program_attendance_sync() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {ON_INSERT}
    RETURN NEW;
  END IF;
  {RECOMPUTE.format(ref="OLD")}
  IF TG_OP = 'UPDATE' THEN
    {RECOMPUTE.format(ref="NEW")}
    RETURN NEW;
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
""",
    "CREATE TRIGGER program_attendance_sync AFTER INSERT OR DELETE OR UPDATE OF participant_id, date "
    "ON program_attendance FOR EACH ROW EXECUTE FUNCTION program_attendance_sync();",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS program_attendance_sync ON program_attendance;",
    "DROP FUNCTION IF EXISTS program_attendance_sync();",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("program", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
