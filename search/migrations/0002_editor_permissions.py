"""Editors and moderators manage synonyms and best bets and read the query report."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("Editors", "Moderators")
PERMISSIONS = [
    ("search", "synonym", ("add", "change", "delete", "view")),
    ("search", "queryweek", ("view",)),
    ("wagtailsearchpromotions", "query", ("add", "change", "delete", "view")),
    ("wagtailsearchpromotions", "searchpromotion", ("add", "change", "delete", "view")),
]


def grant(apps, schema_editor):
    for label in ("search", "wagtailsearchpromotions"):
        try:
            app_config = apps.get_app_config(label)
        except LookupError:
            continue
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=GROUPS):
        for app_label, model, actions in PERMISSIONS:
            codenames = [f"{action}_{model}" for action in actions]
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("wagtailsearchpromotions", "0008_query_verbose_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
