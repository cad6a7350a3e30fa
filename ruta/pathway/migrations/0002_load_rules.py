from django.db import migrations


def load(apps, schema_editor):
    from ruta.pathway.loader import load_rules

    load_rules(apps.get_model("pathway", "Rule"), apps.get_model("pathway", "Caution"),
               apps.get_model("pathway", "RulesRelease"))


class Migration(migrations.Migration):
    dependencies = [("pathway", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
