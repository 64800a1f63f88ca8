"""The staff search of residents with an account finds every word of the box in
a name, an email address or the profile's address (``ILIKE '%word%'``): on
PostgreSQL a trigram index per column answers each word (the search asks one
table at a time, ``myaccount.admin_views.search_residents``). SQLite scans."""

from django.db import migrations

INDEXES = {
    "myaccount_user_first_name_trgm": ("auth_user", "first_name"),
    "myaccount_user_last_name_trgm": ("auth_user", "last_name"),
    "myaccount_user_email_trgm": ("auth_user", "email"),
    "myaccount_profile_address_1_trgm": ("myaccount_profile", "address_line_1"),
    "myaccount_profile_address_2_trgm": ("myaccount_profile", "address_line_2"),
    "myaccount_profile_town_trgm": ("myaccount_profile", "town"),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in INDEXES.items():
        # Django's icontains is UPPER(column) LIKE UPPER('%word%').
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} "
            f"ON {table} USING gin (UPPER({column}) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("myaccount", "0005_contact_centre_merges"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
