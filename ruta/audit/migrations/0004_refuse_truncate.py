from django.db import migrations

# TRUNCATE skips row triggers: without this, emptying the log needs no more than the
# right to truncate. The function from 0002 raises for any operation.
CREATE = """
CREATE TRIGGER audit_accessevent_no_truncate
    BEFORE TRUNCATE ON audit_accessevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_accessevent_append_only();
"""
DROP = "DROP TRIGGER IF EXISTS audit_accessevent_no_truncate ON audit_accessevent;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_signed_events")]
    operations = [migrations.RunPython(create, drop)]
