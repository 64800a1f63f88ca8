"""Every staff page of case work and the customer view, tried by every role:
contact centre, a service team, a partner, a resident and an anonymous visitor.

The pages come from the URLconf (``tests.urlconf.every_url``): a new staff page
fails ``test_every_staff_page_has_a_rule`` until the table below says who may
open it.
"""

from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

import pytest

from myaccount.enums import ContactTopic
from myaccount.models import Bulletin, Profile
from services import actions, contacts
from services.models import CaseAttachment, InteractionReason
from services.uploads import uploads_storage
from tests.myaccount.factories import with_two_factor
from tests.urlconf import every_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]

STAFF_VIEW_MODULES = (
    "services.admin_views",
    "services.attachment_views",
    "services.outbox_admin",
    "myaccount.admin_views",
    "myaccount.contact_views",
)
CONTACT, TEAM, PARTNER, RESIDENT, ANONYMOUS = (
    "contact centre",
    "service team",
    "partner",
    "resident",
    "anonymous",
)
ROLES = (CONTACT, TEAM, PARTNER, RESIDENT, ANONYMOUS)
# view name -> the roles that may use it (everyone else is refused)
RULES = {
    "services_cases:list": {CONTACT, TEAM, PARTNER},
    "services_cases:detail": {CONTACT, TEAM, PARTNER},  # contact centre: to read
    "services_cases:attachment": {CONTACT, TEAM, PARTNER},
    "services_cases:bulk_assign": {TEAM},
    "services_cases:on_behalf": {CONTACT},
    "services_cases:on_behalf_finish": {CONTACT},
    "services_outbox:list": set(),  # operators with the outbox permission
    "services_outbox:resend": set(),
    "myaccount_admin:resident_search": {CONTACT},
    "myaccount_admin:resident_detail": {CONTACT},
    "myaccount_admin:property_detail": {CONTACT},
    "myaccount_admin:audit_log": set(),  # admins
    "myaccount_admin:contact_detail": {CONTACT},
    "myaccount_admin:contact_merge": {CONTACT},
    "myaccount_admin:merge_log": {CONTACT},
    "myaccount_admin:merge_undo": {CONTACT},
    "myaccount_admin:interaction_handover": {CONTACT},
    # The owning team and the contact centre; not the partner the case went to.
    "services_cases:export": {CONTACT, TEAM},
    "myaccount_admin:bulletin_send": set(),  # communications, with the permission
}
POST_ONLY = {
    "services_cases:bulk_assign",
    "services_cases:on_behalf_finish",
    "services_outbox:resend",
    "myaccount_admin:merge_undo",
}


def staff_pages() -> dict[str, str]:
    """View name -> a sample address, for every staff page in the URLconf."""
    return {
        match.view_name: url
        for url, match in every_url().items()
        if url.startswith("/admin/")
        and getattr(match.func, "__module__", "") in STAFF_VIEW_MODULES
    }


def test_every_staff_page_has_a_rule():
    assert set(staff_pages()) == set(RULES)


@pytest.fixture
def world(django_user_model, street_service, highways_officer, contractor, resident):
    """A resident's street case owned by the highways team, routed to a partner,
    with a photo; one user per role."""
    Profile.objects.update_or_create(
        user=resident, defaults={"uprn": "100090000321", "postcode": "GH1 1AA"}
    )
    case = actions.open_case(
        service=street_service,
        answers={"description": "Pothole"},
        resident=resident,
        uprn="100090000321",
        address="1 Mill Lane",
    )
    actions.assign(case=case, actor=highways_officer, partner=contractor)
    stored = uploads_storage().save(
        "uploads/2026-01-01/t/photo.pdf", ContentFile(b"%PDF")
    )
    attachment = CaseAttachment.objects.create(
        case=case, question="Photo", original_name="photo.pdf", file=stored,
        content_type="application/pdf", size=4,
    )  # fmt: skip
    centre = Group.objects.get(name="Contact centre")
    centre.permissions.add(Permission.objects.get(codename="open_case_on_behalf"))
    advisor = django_user_model.objects.create_user(
        "advisor", "advisor@guildhall.example", "pw-advisor-123"
    )
    advisor.groups.add(centre)
    partner = django_user_model.objects.create_user(
        "crew", "crew@roadworks.example", "pw-crew-123"
    )
    partner.groups.add(contractor, Group.objects.get(name="Editors"))
    for user in (advisor, partner):
        with_two_factor(user)
    users = {
        CONTACT: advisor,
        TEAM: highways_officer,
        PARTNER: partner,
        RESIDENT: resident,
        ANONYMOUS: None,
    }
    # Merging (GET shows the comparison), its undo (POST), a follow-up handover.
    guest = contacts.contact_for_details(name="Sam Guest", email="sam@example.com")
    other = contacts.contact_for_details(name="Sam G", email="sam@example.com")
    merge = contacts.merge_contacts(keep=guest, merge=other, actor=advisor)
    interaction = actions.log_interaction(
        staff=advisor,
        reason=InteractionReason.objects.first(),
        channel="phone",
        outcome="answered",
        case=case,
    )
    bulletin = Bulletin.objects.create(
        topic=ContactTopic.values[0], subject="Bin days change", body="From Monday"
    )
    kwargs = {
        "services_cases:export": {"service_id": street_service.pk},
        "myaccount_admin:bulletin_send": {"pk": bulletin.pk},
        "services_cases:detail": {"pk": case.pk},
        "services_cases:attachment": {"pk": case.pk, "attachment_id": attachment.pk},
        "myaccount_admin:resident_detail": {"user_id": resident.pk},
        "myaccount_admin:property_detail": {"uprn": "100090000321"},
        "myaccount_admin:contact_detail": {"pk": case.contact_id},
        "myaccount_admin:contact_merge": {"pk": case.contact_id, "other": guest.pk},
        "myaccount_admin:merge_undo": {"pk": merge.pk},
        "myaccount_admin:interaction_handover": {"pk": interaction.pk},
    }
    post_data = {"services_cases:bulk_assign": {"cases": [case.pk]}}
    return users, kwargs, post_data


def refused(response) -> bool:
    """Wagtail answers a refusal with its login page (not signed in, or no admin
    access) or with a redirect to the dashboard (PermissionDenied)."""
    if response.status_code in (403, 404):
        return True
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location == "/admin/" or "/login/" in location
    )


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_exactly_the_staff_pages_the_rules_allow(world, role):
    users, kwargs, post_data = world
    client = Client()
    client.raise_request_exception = False
    if users[role] is not None:
        client.force_login(users[role])
    wrong = {}
    for name in staff_pages():
        url = reverse(name, kwargs=kwargs.get(name))
        if name in POST_ONLY:
            response = client.post(url, post_data.get(name, {}))
        else:
            response = client.get(url)
        allowed = role in RULES[name]
        ok = (
            (response.status_code in (200, 302) and not refused(response))
            if allowed
            else refused(response)
        )
        if not ok:
            wrong[name] = (response.status_code, response.get("Location", ""))
    assert wrong == {}
