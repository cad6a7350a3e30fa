"""Mother tongue: from the CEM register's LENGUA_MATERNA_VICTIMA integer codes to Ruta's own
codes shared by the whole project (``ruta.lib.codes.MotherTongue``).

The mapping is a copy of ``ruta.stats.register.MOTHER_TONGUE`` as it was when this migration was
written (a migration must not change when the code does)."""

from django.db import migrations, models

CEM_TO_RUTA = {
    1: "quechua", 2: "aymara", 3: "other_native", 4: "other_native", 5: "shipibo_konibo", 6: "other_native",
    7: "matsigenka", 8: "other_native", 9: "other_native", 10: "spanish", 11: "foreign", 12: "foreign",
    13: "sign_language", 14: "unknown", 15: "unknown",
}
RUTA_TO_CEM = {"quechua": 1, "aymara": 2, "other_native": 9, "shipibo_konibo": 5, "matsigenka": 7, "spanish": 10,
               "foreign": 12, "sign_language": 13, "unknown": 15, "harakbut": 9, "ese_eja": 9, "yine": 9,
               "kichwa": 9}


def forwards(apps, schema_editor):
    Survivor = apps.get_model("cases", "Survivor")
    for old, new in CEM_TO_RUTA.items():
        Survivor.objects.filter(mother_tongue_cem=old).update(mother_tongue=new)


def backwards(apps, schema_editor):
    Survivor = apps.get_model("cases", "Survivor")
    for old, new in RUTA_TO_CEM.items():
        Survivor.objects.filter(mother_tongue=old).update(mother_tongue_cem=new)


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_reporter_role_friend")]

    operations = [
        migrations.RenameField("survivor", "mother_tongue", "mother_tongue_cem"),
        migrations.AddField(
            model_name="survivor", name="mother_tongue",
            field=models.CharField(blank=True, default="", max_length=15, verbose_name="mother tongue", choices=[
                ("spanish", "Spanish"), ("quechua", "Quechua"), ("aymara", "Aymara"), ("harakbut", "Harakbut"),
                ("ese_eja", "Ese Eja"), ("matsigenka", "Matsigenka"), ("yine", "Yine"),
                ("shipibo_konibo", "Shipibo-Konibo"), ("kichwa", "Kichwa"), ("other_native", "Other native language"),
                ("sign_language", "Peruvian Sign Language"), ("foreign", "Foreign language"), ("unknown", "Unknown")]),
            preserve_default=False,
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField("survivor", "mother_tongue_cem"),
    ]
