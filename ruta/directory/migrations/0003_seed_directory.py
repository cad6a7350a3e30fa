from django.db import migrations


def seed(apps, schema_editor):
    from ruta.directory.seed import seed_directory

    seed_directory(apps.get_model("directory", "Service"), apps.get_model("geo", "District"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_seed_key_languages"), ("geo", "0002_load_ubigeo")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
