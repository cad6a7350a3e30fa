from django.db import migrations


def load(apps, schema_editor):
    from ruta.learning.loader import load_courses

    load_courses(models=tuple(apps.get_model("learning", name)
                              for name in ("Course", "Objective", "Lesson", "TestVersion", "Question")))


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_courses_and_live_tests")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
