"""The staff case list finds a case by the name given on it (``contact_name``,
``ILIKE '%name%'``) as well as by its contact's name: a trigram index on
PostgreSQL, as for the contact's name and the case's address (0024). SQLite
scans."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS services_case_contact_name_trgm "
        "ON services_case USING gin (UPPER(contact_name) gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS services_case_contact_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("services", "0030_service_notify_templates")]

    operations = [migrations.RunPython(create_index, drop_index)]
