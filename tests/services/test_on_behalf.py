"""Contact-centre staff open a case for a caller through the same journey."""

import re

from django.contrib.auth.models import Group, Permission
from django.urls import reverse

import pytest

from services.blocks.transactions import STEP_FIELD, TRANSACTION_FIELD
from services.models import Case, CaseDraft, CaseEvent
from tests.factories.services import ServiceLandingPageFactory, ServicePageFactory
from tests.myaccount.factories import with_two_factor
from tests.services.conftest import block_id, journey

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact_centre(django_user_model):
    group, _ = Group.objects.get_or_create(name="Contact centre")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="open_case_on_behalf"),
    )
    user = django_user_model.objects.create_user(
        "advisor",
        "advisor@example.com",
        "pw-advisor-123",
        first_name="Ada",
        last_name="Advisor",
    )
    user.groups.add(group)
    with_two_factor(user)
    return user


@pytest.fixture
def street_page(home_page, street_service):
    landing = ServiceLandingPageFactory(parent=home_page, title="Roads", slug="roads")
    page = ServicePageFactory(
        parent=landing, title="Report a street problem", slug="street", body=[]
    )
    page.body = [("street_problem", {"service": street_service, "heading": ""})]
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def post(client, page, step, **data):
    return client.post(
        journey(page),
        {TRANSACTION_FIELD: block_id(page, "street_problem"), STEP_FIELD: step, **data},
    )


def test_only_staff_with_the_permission_can_start(
    client, highways_officer, street_page
):
    client.force_login(highways_officer)
    cases = client.get(reverse("services_cases:list")).content.decode()
    assert "Start a case for a caller" not in cases
    refused = client.get(reverse("services_cases:on_behalf"))
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")


def test_a_phone_call_becomes_a_case_through_the_public_journey(
    client, contact_centre, street_page, highways_officer
):
    client.force_login(contact_centre)
    cases = client.get(reverse("services_cases:list")).content.decode()
    assert "Start a case for a caller" in cases
    start = client.get(reverse("services_cases:on_behalf")).content.decode()
    assert "Report a street problem" in start

    missing = client.post(
        reverse("services_cases:on_behalf"),
        {"page": street_page.pk, "channel": "phone", "name": "Sam Caller"},
    )
    assert "email address or phone number" in missing.content.decode()
    response = client.post(
        reverse("services_cases:on_behalf"),
        {
            "page": street_page.pk,
            "channel": "phone",
            "name": "Sam Caller",
            "email": "sam@example.com",
            "phone": "01632 960 001",
        },
    )
    assert response.url == street_page.url

    served = client.get(street_page.url)
    page = served.content.decode()
    assert "You are making this request for Sam Caller (phone)" in page
    assert "public" not in served.get("Cache-Control", "")  # never page-cached
    post(client, street_page, "category", category="fly_tipping")
    post(client, street_page, "location", street="Mill Lane", landmark="Gate")
    to_check = post(client, street_page, "description", description="Sofa dumped")
    assert to_check.url.endswith("?step=check")  # the caller's details are known
    html = client.get(journey(street_page) + "?step=check").content.decode()
    assert "sam@example.com" in html
    token = re.search(r'name="token" value="([0-9a-f-]+)"', html).group(1)
    post(client, street_page, "check", token=token)

    case = Case.objects.get()
    assert case.channel == "phone" and case.resident is None
    assert (case.guest_email, case.contact_name, case.contact_phone) == (
        "sam@example.com",
        "Sam Caller",
        "01632 960 001",
    )
    first = CaseEvent.objects.get(case=case, kind="submitted")
    assert first.actor == contact_centre
    assert first.text == "Street problem request received by phone."
    assert first.data == {"channel": "phone", "on_behalf": True, "staff": "Ada Advisor"}
    assert not CaseDraft.objects.filter(user=contact_centre).exists()

    client.force_login(highways_officer)
    admin = client.get(
        reverse("services_cases:detail", args=[case.pk])
    ).content.decode()
    assert "Ada Advisor" in admin and "01632 960 001" in admin
    phone_cases = client.get(reverse("services_cases:list"), {"channel": "phone"})
    assert case.reference in phone_cases.content.decode()


def test_face_to_face_without_email_and_finishing(client, contact_centre, street_page):
    client.force_login(contact_centre)
    client.post(
        reverse("services_cases:on_behalf"),
        {
            "page": street_page.pk,
            "channel": "face_to_face",
            "name": "Pat",
            "phone": "07700 900123",
        },
    )
    post(client, street_page, "category", category="graffiti")
    post(client, street_page, "location", street="High Street")
    post(client, street_page, "description", description="Tags on the wall")
    html = client.get(journey(street_page) + "?step=check").content.decode()
    token = re.search(r'name="token" value="([0-9a-f-]+)"', html).group(1)
    post(client, street_page, "check", token=token)
    case = Case.objects.get()
    assert case.channel == "face_to_face" and case.contact_phone == "07700 900123"

    finished = client.post(reverse("services_cases:on_behalf_finish"))
    assert finished.url == reverse("services_cases:list")
    assert "working for a caller" not in client.get(street_page.url).content.decode()


def test_the_caller_session_is_ignored_once_the_permission_is_gone(
    client, contact_centre, street_page
):
    client.force_login(contact_centre)
    client.post(
        reverse("services_cases:on_behalf"),
        {
            "page": street_page.pk,
            "channel": "phone",
            "name": "Sam",
            "email": "s@example.com",
        },
    )
    contact_centre.groups.clear()
    page = client.get(street_page.url).content.decode()
    assert "working for a caller" not in page
