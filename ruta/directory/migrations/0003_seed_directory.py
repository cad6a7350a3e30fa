from django.db import migrations


def seed(apps, schema_editor):
    # The directory is seeded by 0005, whose fields the seed needs (sector, …); installs
    # that ran this migration before are upgraded there too.
    pass


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_seed_key_languages"), ("geo", "0002_load_ubigeo")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
