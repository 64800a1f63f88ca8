from django.db import migrations


class Migration(migrations.Migration):
    """The rules about cases, bookings and council tax links now live with the
    apps that own those records (services 0009, myaccount 0003 copy every rule
    first: they declare that they run before this). Their old tables go."""

    dependencies = [
        ("personalisation", "0002_council_rules_variants_notices"),
    ]

    operations = [
        migrations.DeleteModel(name="CouncilTaxLinkedRule"),
        migrations.DeleteModel(name="OpenCaseRule"),
        migrations.DeleteModel(name="RecentlyClosedCaseRule"),
        migrations.DeleteModel(name="UpcomingBookingRule"),
    ]
