"""The contact centre merges duplicate people (and undoes merges): the permission
comes with the contacts (services), the group with this app, so the grant lives
here (a services migration may not depend on a higher app)."""

from django.db import migrations


def contact_centre_merges(apps, schema_editor):
    """The contact centre merges duplicate people (and undoes merges)."""
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("services")
    config.models_module = True
    create_permissions(config, verbosity=0, apps=apps)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    merge = Permission.objects.get(
        content_type__app_label="services", codename="merge_contacts"
    )
    for group in Group.objects.filter(name="Contact centre"):
        group.permissions.add(merge)


class Migration(migrations.Migration):
    dependencies = [
        ("myaccount", "0004_bulletins_and_topic_consent"),
        ("services", "0025_backfill_contacts"),
    ]

    operations = [
        migrations.RunPython(contact_centre_merges, migrations.RunPython.noop),
    ]
