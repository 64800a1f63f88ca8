"""The single customer view in the Wagtail admin: permission, search, and an audit
log entry for every view of a resident's record."""

from django.contrib.auth.models import Group, Permission

import pytest

from myaccount.enums import AuditAction
from myaccount.models import AuditLogEntry, StaffNote
from tests.myaccount.factories import (
    CouncilTaxLinkFactory,
    DemoCouncilTaxAccountFactory,
    ResidentMessageFactory,
    with_two_factor,
)

pytestmark = pytest.mark.django_db


def refused(response) -> bool:
    """Wagtail answers PermissionDenied in the admin with a redirect to its dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


@pytest.fixture
def advisor(django_user_model):
    user = django_user_model.objects.create_user(
        "advisor", "advisor@guildhall.example", "pw-advisor-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Contact centre"))
    with_two_factor(user)
    return user


@pytest.fixture
def advisor_client(client, advisor):
    client.force_login(advisor)
    return client


def test_every_view_of_a_record_is_written_to_the_audit_log(
    advisor_client, advisor, resident
):
    for expected in (1, 2, 3):
        response = advisor_client.get(f"/admin/residents/{resident.pk}/")
        assert response.status_code == 200
        entries = AuditLogEntry.objects.filter(
            action=AuditAction.STAFF_VIEWED, subject=resident, actor=advisor
        )
        assert entries.count() == expected


def test_single_customer_view_shows_profile_linked_accounts_records_and_notes(
    advisor_client, resident
):
    DemoCouncilTaxAccountFactory(account_number="10000001")
    CouncilTaxLinkFactory(user=resident, account_number="10000001")
    ResidentMessageFactory(user=resident, reference="MSG-777", subject="Bin reminder")
    advisor_client.post(
        f"/admin/residents/{resident.pk}/", {"text": "Called about a missed bin."}
    )
    html = advisor_client.get(f"/admin/residents/{resident.pk}/").content.decode()
    for text in (
        "Amira Khan",
        resident.email,
        "3 High Street",
        "100090000003",
        "Council tax 10000001",
        "MSG-777",
        "Bin reminder",
        "Called about a missed bin.",
    ):
        assert text in html
    assert StaffNote.objects.get().resident == resident
    assert (
        AuditLogEntry.objects.filter(action=AuditAction.STAFF_NOTE_ADDED).count() == 1
    )


@pytest.mark.parametrize(
    "query",
    [
        "Khan",
        "amira khan",
        "resident",
        "High Street",
        "gh11aa",
        "GH1 1AA",
        "MSG-777",
        "10000001",
    ],
)
def test_find_a_resident_by_name_email_address_postcode_or_reference(
    advisor_client, resident, other_resident, query
):
    ResidentMessageFactory(user=resident, reference="MSG-777")
    CouncilTaxLinkFactory(user=resident, account_number="10000001")
    html = advisor_client.get("/admin/residents/", {"q": query}).content.decode()
    assert f"/admin/residents/{resident.pk}/" in html
    assert f"/admin/residents/{other_resident.pk}/" not in html or query == "resident"


def test_staff_without_the_permission_are_refused(client, editor, resident):
    client.force_login(editor)
    for url in ("/admin/residents/", f"/admin/residents/{resident.pk}/"):
        assert refused(client.get(url))
    assert not AuditLogEntry.objects.exists()


def test_staff_accounts_are_not_residents(advisor_client, editor):
    assert advisor_client.get(f"/admin/residents/{editor.pk}/").status_code == 404


def test_admins_read_the_audit_log_and_advisors_cannot(
    client, advisor_client, advisor, resident, django_user_model
):
    advisor_client.get(f"/admin/residents/{resident.pk}/")
    assert refused(advisor_client.get("/admin/residents/audit-log/"))
    admin = django_user_model.objects.create_superuser(
        "root", "root@guildhall.example", "pw-root-123"
    )
    with_two_factor(admin)
    client.force_login(admin)
    html = client.get("/admin/residents/audit-log/").content.decode()
    assert (
        "Staff viewed the resident&#x27;s record" in html
        or "Staff viewed the resident's record" in html
    )
    assert "Amira Khan" in html


def test_residents_menu_item_only_for_permitted_staff(client, advisor_client, editor):
    assert "/admin/residents/" in advisor_client.get("/admin/").content.decode()
    client.force_login(editor)
    assert "/admin/residents/" not in client.get("/admin/").content.decode()


def test_contact_centre_group_has_the_permission():
    group = Group.objects.get(name="Contact centre")
    assert group.permissions.filter(codename="view_single_customer_view").exists()
    assert Permission.objects.filter(codename="view_auditlogentry").exists()
