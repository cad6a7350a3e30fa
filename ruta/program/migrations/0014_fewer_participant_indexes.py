"""Fewer indexes to write for each imported person (issue 16, imports ≥ 25,000 rows/s).

The history rows are read by participant (id) and date only, so simple-history's index on every
other foreign key (and on import_job) goes; the participant's own programme index goes too, as
the unique (programme, code) index leads with the programme.

Only the indexes are dropped (SeparateDatabaseAndState): on SQLite, Django would otherwise
rebuild the participant table to alter the field, and a rebuilt table loses its triggers (the
participant facts and the monthly summaries, migrations 0003 and 0013).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


INDEXES = [
    ("program_historicalparticipant", "created_by_id", "program_historicalparticipant_created_by_id_0a5fb845"),
    ("program_historicalparticipant", "district_id", "program_historicalparticipant_district_id_33aea7e7"),
    ("program_historicalparticipant", "import_job", "program_historicalparticipant_import_job_c163452e"),
    ("program_historicalparticipant", "merged_into_id", "program_historicalparticipant_merged_into_id_c9a25fd4"),
    ("program_historicalparticipant", "programme_id", "program_historicalparticipant_programme_id_3977d1a0"),
    ("program_historicalparticipant", "school_id", "program_historicalparticipant_school_id_04ea0e06"),
    ("program_participant", "programme_id", "program_participant_programme_id_43abf221"),
]


class Migration(migrations.Migration):

    dependencies = [
        ('geo', '0002_load_ubigeo'),
        ('program', '0013_monthly_summaries'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicalparticipant',
                    name='created_by',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='historicalparticipant',
                    name='district',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='geo.district', verbose_name='district'),
                ),
                migrations.AlterField(
                    model_name='historicalparticipant',
                    name='import_job',
                    field=models.UUIDField(blank=True, editable=False, null=True),
                ),
                migrations.AlterField(
                    model_name='historicalparticipant',
                    name='merged_into',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='program.participant', verbose_name='merged into'),
                ),
                migrations.AlterField(
                    model_name='historicalparticipant',
                    name='programme',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='program.programme'),
                ),
                migrations.AlterField(
                    model_name='historicalparticipant',
                    name='school',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='program.school', verbose_name='school'),
                ),
                migrations.AlterField(
                    model_name='participant',
                    name='programme',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='participants', to='program.programme'),
                ),
            ],
            database_operations=[
                migrations.RunSQL(f'DROP INDEX IF EXISTS "{name}"', f'CREATE INDEX "{name}" ON "{table}" ("{column}")')
                for table, column, name in INDEXES
            ],
        ),
    ]
