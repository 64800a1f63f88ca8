"""Indexes that let PostgreSQL answer a search from indexes at 10,000 pages.

* A GIN index on ``title || body`` of Wagtail's index table: the database backend
  matches that expression, which the per-column GIN indexes cannot serve.
* An index on each page's id as text: index entries store ``object_id`` as text,
  and the backend joins pages on ``id::varchar(50)``.

PostgreSQL only; other databases skip this migration's SQL.
"""

from django.db import migrations

INDEXES = [
    (
        "search_indexentry_title_body",
        "wagtailsearch_indexentry USING GIN ((title || body))",
    ),
    ("search_page_id_text", "wagtailcore_page (((id)::varchar(50)))"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, target in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _target in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_editor_permissions"),
        ("wagtailsearch", "0010_add_text_fields"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create, drop)]
