"""The staff search of residents with an account finds the start of a word of an
account's first name, last name or email address through one full-text index
over the three (``myaccount.account_search``): a trigram index cannot answer a
short common word without reading most of itself, and PostgreSQL chose to read
every account instead. The email address's trigram index from ``0006`` no longer
answers anything and goes; the names' stay (the case list's search reads them).
SQLite has no such index: its search reads the table.
"""

from django.db import migrations
from django.db.models import CharField, F, Func, Value

INDEX = "myaccount_user_name_email_words"
SEPARATORS = "@./"


def _spaced(field):
    return Func(
        F(field),
        Value(SEPARATORS),
        Value(" " * len(SEPARATORS)),
        function="translate",
        output_field=CharField(),
    )


def _index():
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    # The same expression as ``myaccount.account_search.name_and_email_words``,
    # copied: the query is planned onto the index only when the two are equal.
    return GinIndex(
        SearchVector(
            _spaced("first_name"),
            _spaced("last_name"),
            _spaced("email"),
            config="simple",
        ),
        name=INDEX,
    )


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_index(apps.get_model("auth", "User"), _index())
    schema_editor.execute("DROP INDEX IF EXISTS myaccount_user_email_trgm")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("auth", "User"), _index())
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS myaccount_user_email_trgm "
        "ON auth_user USING gin (UPPER(email) gin_trgm_ops)"
    )


class Migration(migrations.Migration):
    dependencies = [("myaccount", "0007_profile_postcode_index")]

    operations = [migrations.RunPython(create_index, drop_index)]
