"""Monthly per-cell summaries (``ruta.program.summaries``): their tables, the triggers that
list a person in ``program_summarypending`` in the same transaction as any write that can
change their summary rows (whoever writes: screens, imports, merges, retention, raw SQL),
and the summaries of the rows that exist already."""

from typing import Any

from django.db import migrations, models

PENDING = "program_summarypending (participant_id, programme_id)"
PARTICIPANT_COLUMNS = 'sex, "group", district_id, birth_date, first_age, post_taken_on, post_score_percent, ' \
    "knowledge_gain, import_job, programme_id"


def sqlite_mark(pid: str, prog: str) -> str:
    return f"INSERT OR IGNORE INTO {PENDING} VALUES ({pid}, {prog});"


def pg_mark(pid: str, prog: str) -> str:
    return f"INSERT INTO {PENDING} VALUES ({pid}, {prog}) ON CONFLICT DO NOTHING;"


PUBLISHED = "SELECT id, programme_id FROM program_participant WHERE import_job = OLD.job_id"
THRESHOLD = "SELECT id, programme_id FROM program_participant WHERE programme_id = NEW.id"

SQLITE_CREATE = [
    "CREATE TRIGGER program_attendance_sum_ai AFTER INSERT ON program_attendance BEGIN "
    f"{sqlite_mark('NEW.participant_id', 'NEW.programme_id')} END;",
    "CREATE TRIGGER program_attendance_sum_ad AFTER DELETE ON program_attendance BEGIN "
    f"{sqlite_mark('OLD.participant_id', 'OLD.programme_id')} END;",
    "CREATE TRIGGER program_attendance_sum_au AFTER UPDATE OF participant_id, date ON program_attendance BEGIN "
    f"{sqlite_mark('OLD.participant_id', 'OLD.programme_id')} {sqlite_mark('NEW.participant_id', 'NEW.programme_id')} "
    "END;",
    f"CREATE TRIGGER program_participant_sum_au AFTER UPDATE OF {PARTICIPANT_COLUMNS} ON program_participant BEGIN "
    f"{sqlite_mark('NEW.id', 'NEW.programme_id')} END;",
    "CREATE TRIGGER program_participant_sum_ad AFTER DELETE ON program_participant BEGIN "
    f"{sqlite_mark('OLD.id', 'OLD.programme_id')} END;",
    "CREATE TRIGGER program_stagedimport_sum_ad AFTER DELETE ON program_stagedimport BEGIN "
    f"INSERT OR IGNORE INTO {PENDING} {PUBLISHED}; END;",
    "CREATE TRIGGER program_programme_sum_au AFTER UPDATE OF completion_sessions ON program_programme "
    "WHEN OLD.completion_sessions <> NEW.completion_sessions BEGIN "
    f"INSERT OR IGNORE INTO {PENDING} {THRESHOLD}; END;",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {name};" for name in (
    "program_attendance_sum_ai", "program_attendance_sum_ad", "program_attendance_sum_au",
    "program_participant_sum_au", "program_participant_sum_ad", "program_stagedimport_sum_ad",
    "program_programme_sum_au")]

POSTGRES_CREATE = [
    f"""
CREATE OR REPLACE FUNCTION program_attendance_summary() RETURNS trigger AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN {pg_mark("OLD.participant_id", "OLD.programme_id")} END IF;
  IF TG_OP <> 'DELETE' THEN {pg_mark("NEW.participant_id", "NEW.programme_id")} END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;""",
    "CREATE TRIGGER program_attendance_summary AFTER INSERT OR DELETE OR UPDATE OF participant_id, date "
    "ON program_attendance FOR EACH ROW EXECUTE FUNCTION program_attendance_summary();",
    f"""
CREATE OR REPLACE FUNCTION program_participant_summary() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN {pg_mark("OLD.id", "OLD.programme_id")} ELSE {pg_mark("NEW.id", "NEW.programme_id")}
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;""",
    f"CREATE TRIGGER program_participant_summary AFTER DELETE OR UPDATE OF {PARTICIPANT_COLUMNS} "
    "ON program_participant FOR EACH ROW EXECUTE FUNCTION program_participant_summary();",
    f"""
CREATE OR REPLACE FUNCTION program_stagedimport_summary() RETURNS trigger AS $$
BEGIN
  INSERT INTO {PENDING} {PUBLISHED} ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;""",
    "CREATE TRIGGER program_stagedimport_summary AFTER DELETE ON program_stagedimport "
    "FOR EACH ROW EXECUTE FUNCTION program_stagedimport_summary();",
    f"""
CREATE OR REPLACE FUNCTION program_programme_summary() RETURNS trigger AS $$
BEGIN
  IF OLD.completion_sessions <> NEW.completion_sessions THEN
    INSERT INTO {PENDING} {THRESHOLD} ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;""",
    "CREATE TRIGGER program_programme_summary AFTER UPDATE OF completion_sessions ON program_programme "
    "FOR EACH ROW EXECUTE FUNCTION program_programme_summary();",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS program_attendance_summary ON program_attendance;",
    "DROP FUNCTION IF EXISTS program_attendance_summary();",
    "DROP TRIGGER IF EXISTS program_participant_summary ON program_participant;",
    "DROP FUNCTION IF EXISTS program_participant_summary();",
    "DROP TRIGGER IF EXISTS program_stagedimport_summary ON program_stagedimport;",
    "DROP FUNCTION IF EXISTS program_stagedimport_summary();",
    "DROP TRIGGER IF EXISTS program_programme_summary ON program_programme;",
    "DROP FUNCTION IF EXISTS program_programme_summary();",
]


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}.get(vendor, []):
        schema_editor.execute(sql, params=None)
    from ruta.program import summaries

    summaries.rebuild()  # the rows that exist already (none on a new instance)


def backwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('program', '0012_participant_erased_at'),
    ]

    operations = [
        migrations.CreateModel(
            name='SummaryPending',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('participant_id', models.IntegerField(unique=True)),
                ('programme_id', models.IntegerField(db_index=True)),
            ],
        ),
        migrations.CreateModel(
            name='ReachFact',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('programme_id', models.IntegerField()),
                ('kind', models.CharField(max_length=1)),
                ('month', models.IntegerField()),
                ('lo', models.IntegerField()),
                ('prev', models.IntegerField()),
                ('sex', models.CharField(max_length=10)),
                ('group', models.CharField(max_length=20)),
                ('district_id', models.CharField(max_length=6)),
                ('band', models.CharField(max_length=5)),
                ('people', models.IntegerField(default=0)),
                ('passes', models.IntegerField(default=0)),
                ('pairs', models.IntegerField(default=0)),
                ('gain_cents', models.BigIntegerField(default=0)),
                ('participant_id', models.IntegerField()),
            ],
            options={
                'indexes': [models.Index(fields=['participant_id'], name='reachfact_participant_idx'),
                            models.Index(fields=['programme_id'], name='reachfact_programme_idx')],
            },
        ),
        migrations.CreateModel(
            name='ReachSummary',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('programme_id', models.IntegerField()),
                ('kind', models.CharField(max_length=1)),
                ('month', models.IntegerField()),
                ('lo', models.IntegerField()),
                ('prev', models.IntegerField()),
                ('sex', models.CharField(max_length=10)),
                ('group', models.CharField(max_length=20)),
                ('district_id', models.CharField(max_length=6)),
                ('band', models.CharField(max_length=5)),
                ('people', models.IntegerField(default=0)),
                ('passes', models.IntegerField(default=0)),
                ('pairs', models.IntegerField(default=0)),
                ('gain_cents', models.BigIntegerField(default=0)),
            ],
            options={
                'constraints': [models.UniqueConstraint(
                    fields=('programme_id', 'kind', 'month', 'lo', 'prev', 'sex', 'group', 'district_id', 'band'),
                    name='reachsummary_key')],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
