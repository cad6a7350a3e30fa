from django.db import migrations


def load(apps, schema_editor):
    from ruta.portal.reference import load as load_pages

    load_pages(model=apps.get_model("portal", "Page"))


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_public_pages")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
