"""Moving the case, booking and council tax rules to the apps that own that data
keeps every rule editors made (services 0009, myaccount 0003, personalisation 0003),
and the move can be undone."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

import pytest

BEFORE = [
    ("personalisation", "0002_council_rules_variants_notices"),
    ("services", "0008_private_street_photos"),
    ("myaccount", "0002_contact_centre_group"),
]
MOVED = [
    ("services", "OpenCaseRule"),
    ("services", "RecentlyClosedCaseRule"),
    ("services", "UpcomingBookingRule"),
    ("myaccount", "CouncilTaxLinkedRule"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_rule_reaches_its_new_table_and_back():
    try:
        old = migrate(BEFORE)
        Segment = old.get_model("wagtail_personalisation", "Segment")
        Group = old.get_model("auth", "Group")
        Service = old.get_model("services", "ServiceDefinition")
        team = Group.objects.create(name="Migration test team")
        potholes = Service.objects.create(
            name="Potholes", reference_prefix="POT", case_type="Pothole", team=team
        )
        bins = Service.objects.create(
            name="Bins", reference_prefix="BNS", case_type="Bin", team=team
        )
        first = Segment.objects.create(name="First")
        second = Segment.objects.create(name="Second")
        old.get_model("personalisation", "OpenCaseRule").objects.create(
            segment_id=first.pk, service_id=potholes.pk
        )
        closed = old.get_model("personalisation", "RecentlyClosedCaseRule")
        closed.objects.create(segment_id=first.pk, service_id=None, days=9)
        closed.objects.create(segment_id=second.pk, service_id=bins.pk, days=3)
        old.get_model("personalisation", "UpcomingBookingRule").objects.create(
            segment_id=second.pk, days=5, kind="bulky waste"
        )
        old.get_model("personalisation", "CouncilTaxLinkedRule").objects.create(
            segment_id=second.pk
        )

        new = migrate(None)
        moved = {
            name: list(
                new.get_model(app, name)
                .objects.order_by("pk")
                .values(
                    *(
                        f.attname
                        for f in new.get_model(app, name)._meta.fields
                        if f.attname != "id"
                    )
                )
            )
            for app, name in MOVED
        }
        assert moved == {
            "OpenCaseRule": [{"segment_id": first.pk, "service_id": potholes.pk}],
            "RecentlyClosedCaseRule": [
                {"segment_id": first.pk, "service_id": None, "days": 9},
                {"segment_id": second.pk, "service_id": bins.pk, "days": 3},
            ],
            "UpcomingBookingRule": [
                {"segment_id": second.pk, "days": 5, "kind": "bulky waste"}
            ],
            "CouncilTaxLinkedRule": [{"segment_id": second.pk, "linked": True}],
        }
        for _app, name in MOVED:
            with pytest.raises(LookupError):
                new.get_model("personalisation", name)

        back = migrate(BEFORE)
        assert (
            back.get_model("personalisation", "OpenCaseRule")
            .objects.filter(segment_id=first.pk, service_id=potholes.pk)
            .exists()
        )
        assert (
            back.get_model("personalisation", "RecentlyClosedCaseRule").objects.count()
            == 2
        )
        assert back.get_model(
            "personalisation", "UpcomingBookingRule"
        ).objects.get().kind == ("bulky waste")
        assert back.get_model(
            "personalisation", "CouncilTaxLinkedRule"
        ).objects.get().segment_id == (second.pk)
    finally:
        migrate(None)
