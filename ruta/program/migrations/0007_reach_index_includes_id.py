"""On PostgreSQL, ``participant_reach_idx`` also carries the participant's id (INCLUDE), so
the people statement of a sub-period, which looks up attendance rows by participant for
people on both sides of a boundary, reads the index alone instead of every participant row.
SQLite needs nothing: its indexes always carry the rowid. The model's index is unchanged."""

from django.db import migrations

COLUMNS = 'programme_id, sex, "group", district_id, first_age, first_attended_on, last_attended_on, sessions_attended'


def include_id(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS participant_reach_idx")
    schema_editor.execute(f"CREATE INDEX participant_reach_idx ON program_participant ({COLUMNS}) INCLUDE (id)")


def without_id(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS participant_reach_idx")
    schema_editor.execute(f"CREATE INDEX participant_reach_idx ON program_participant ({COLUMNS})")


class Migration(migrations.Migration):

    dependencies = [
        ('program', '0006_drop_unused_activity_index'),
    ]

    operations = [
        migrations.RunPython(include_id, without_id),
    ]
