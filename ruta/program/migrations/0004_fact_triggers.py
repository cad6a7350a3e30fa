"""The participant facts indicators read, kept by the database whoever writes the rows
(screens, imports, merges, raw SQL). Replaces the triggers of 0002 and adds:

- ``first_age``: completed years at the first attendance (also when the birth date changes);
- ``post_taken_on``, ``post_score_percent``, ``knowledge_gain``: the participant's latest
  post-test, its score, and its score minus the pre-test of the same test (NULL without one).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def ymd(vendor: str, expr: str) -> str:
    if vendor == "postgresql":
        return f"CAST(to_char({expr}, 'YYYYMMDD') AS INTEGER)"
    return f"CAST(REPLACE({expr}, '-', '') AS INTEGER)"


def age(vendor: str, at: str, birth: str) -> str:
    return f"(({ymd(vendor, at)} - {ymd(vendor, birth)}) / 10000)"


def attendance_recompute(vendor: str, ref: str) -> str:
    first = f"(SELECT MIN(a.date) FROM program_attendance a WHERE a.participant_id = {ref}.participant_id)"
    return f"""
UPDATE program_participant SET
  sessions_attended = (SELECT COUNT(*) FROM program_attendance a WHERE a.participant_id = {ref}.participant_id),
  first_attended_on = {first},
  last_attended_on = (SELECT MAX(a.date) FROM program_attendance a WHERE a.participant_id = {ref}.participant_id),
  first_age = {age(vendor, first, "birth_date")}
WHERE id = {ref}.participant_id;
"""


def attendance_insert(vendor: str) -> str:
    return f"""
UPDATE program_participant SET
  sessions_attended = sessions_attended + 1,
  first_age = CASE WHEN first_attended_on IS NULL OR NEW.date < first_attended_on
                   THEN {age(vendor, "NEW.date", "birth_date")} ELSE first_age END,
  first_attended_on = CASE WHEN first_attended_on IS NULL OR NEW.date < first_attended_on
                           THEN NEW.date ELSE first_attended_on END,
  last_attended_on = CASE WHEN last_attended_on IS NULL OR NEW.date > last_attended_on
                          THEN NEW.date ELSE last_attended_on END
WHERE id = NEW.participant_id;
"""


def results_recompute(ref: str) -> str:
    latest = (f"FROM program_assessmentresult r WHERE r.participant_id = {ref}.participant_id AND r.phase = 'post' "
              "ORDER BY r.taken_on DESC, r.id DESC LIMIT 1")
    return f"""
UPDATE program_participant SET
  post_taken_on = (SELECT r.taken_on {latest}),
  post_score_percent = (SELECT r.score_percent {latest}),
  knowledge_gain = (SELECT r.score_percent - (SELECT p.score_percent FROM program_assessmentresult p
                                               WHERE p.participant_id = r.participant_id
                                                 AND p.instrument_code = r.instrument_code AND p.phase = 'pre')
                    {latest})
WHERE id = {ref}.participant_id;
"""


def sqlite_create() -> list[str]:
    v = "sqlite"
    return [
        "DROP TRIGGER IF EXISTS program_attendance_ai;",
        "DROP TRIGGER IF EXISTS program_attendance_ad;",
        "DROP TRIGGER IF EXISTS program_attendance_au;",
        f"CREATE TRIGGER program_attendance_ai AFTER INSERT ON program_attendance BEGIN {attendance_insert(v)} END;",
        f"CREATE TRIGGER program_attendance_ad AFTER DELETE ON program_attendance BEGIN "
        f"{attendance_recompute(v, 'OLD')} END;",
        f"CREATE TRIGGER program_attendance_au AFTER UPDATE OF participant_id, date ON program_attendance BEGIN "
        f"{attendance_recompute(v, 'OLD')} {attendance_recompute(v, 'NEW')} END;",
        f"CREATE TRIGGER program_participant_birth AFTER UPDATE OF birth_date ON program_participant BEGIN "
        f"UPDATE program_participant SET first_age = {age(v, 'first_attended_on', 'NEW.birth_date')} "
        f"WHERE id = NEW.id; END;",
        f"CREATE TRIGGER program_result_ai AFTER INSERT ON program_assessmentresult BEGIN {results_recompute('NEW')} "
        f"END;",
        f"CREATE TRIGGER program_result_ad AFTER DELETE ON program_assessmentresult BEGIN {results_recompute('OLD')} "
        f"END;",
        f"CREATE TRIGGER program_result_au AFTER UPDATE ON program_assessmentresult BEGIN {results_recompute('OLD')} "
        f"{results_recompute('NEW')} END;",
    ]


SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS program_participant_birth;",
    "DROP TRIGGER IF EXISTS program_result_ai;",
    "DROP TRIGGER IF EXISTS program_result_ad;",
    "DROP TRIGGER IF EXISTS program_result_au;",
]


def postgres_create() -> list[str]:
    v = "postgresql"
    return [
        f"""
CREATE OR REPLACE FUNCTION program_attendance_sync() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {attendance_insert(v)}
    RETURN NEW;
  END IF;
  {attendance_recompute(v, "OLD")}
  IF TG_OP = 'UPDATE' THEN
    {attendance_recompute(v, "NEW")}
    RETURN NEW;
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
""",
        f"""
CREATE OR REPLACE FUNCTION program_participant_birth() RETURNS trigger AS $$
BEGIN
  NEW.first_age := {age(v, "NEW.first_attended_on", "NEW.birth_date")};
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
""",
        "CREATE TRIGGER program_participant_birth BEFORE UPDATE OF birth_date ON program_participant "
        "FOR EACH ROW EXECUTE FUNCTION program_participant_birth();",
        f"""
CREATE OR REPLACE FUNCTION program_result_sync() RETURNS trigger AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    {results_recompute("OLD")}
  END IF;
  IF TG_OP <> 'DELETE' THEN
    {results_recompute("NEW")}
    RETURN NEW;
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
""",
        "CREATE TRIGGER program_result_sync AFTER INSERT OR DELETE OR UPDATE ON program_assessmentresult "
        "FOR EACH ROW EXECUTE FUNCTION program_result_sync();",
    ]


POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS program_result_sync ON program_assessmentresult;",
    "DROP FUNCTION IF EXISTS program_result_sync();",
    "DROP TRIGGER IF EXISTS program_participant_birth ON program_participant;",
    "DROP FUNCTION IF EXISTS program_participant_birth();",
]

# Facts of rows that exist already (a database migrated before this change).
BACKFILL = {
    "sqlite": [f"UPDATE program_participant SET first_age = {age('sqlite', 'first_attended_on', 'birth_date')};"],
    "postgresql": [
        f"UPDATE program_participant SET first_age = {age('postgresql', 'first_attended_on', 'birth_date')};"
    ],
}


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": sqlite_create, "postgresql": postgres_create}.get(vendor)
    if statements is None:
        return
    for sql in statements():
        schema_editor.execute(sql, params=None)
    for sql in BACKFILL.get(vendor, []):
        schema_editor.execute(sql, params=None)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT participant_id FROM program_assessmentresult")
        ids = [row[0] for row in cursor.fetchall()]
        sql = results_recompute("x").replace("x.participant_id", "%s")
        for pk in ids:
            cursor.execute(sql, [pk] * sql.count("%s"))


def backwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("program", "0003_indicator_facts")]

    operations = [migrations.RunPython(forwards, backwards)]
