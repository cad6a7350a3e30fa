from django.db import migrations


def load(apps, schema_editor):
    from ruta.geo.loader import load_ubigeo

    load_ubigeo(apps.get_model("geo", "Department"), apps.get_model("geo", "Province"), apps.get_model("geo", "District"))


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
