"""Contact-centre staff: the cases they open for callers, finding any case, and a
phone-only caller's journey from the staff member's side."""

import re

from django.contrib.auth.models import Group, Permission
from django.urls import reverse

import pytest

from services import actions
from services.blocks.transactions import STEP_FIELD, TRANSACTION_FIELD
from services.models import Case
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


def post(client, page, step, **data):
    return client.post(
        journey(page),
        {TRANSACTION_FIELD: block_id(page, "street_problem"), STEP_FIELD: step, **data},
    )


def phone_only_call(client, street_page):
    client.post(
        reverse("services_cases:on_behalf"),
        {
            "page": street_page.pk,
            "channel": "phone",
            "name": "Pat Caller",
            "phone": "07700 900123",
        },
    )
    post(client, street_page, "category", category="graffiti")
    post(client, street_page, "location", street="High Street")
    post(client, street_page, "description", description="Tags on the wall")


def test_a_phone_only_callers_check_answers_shows_what_they_gave(
    client, contact_centre, street_page
):
    client.force_login(contact_centre)
    phone_only_call(client, street_page)
    html = client.get(journey(street_page) + "?step=check").content.decode()
    rows = dict(
        re.findall(
            r'govuk-summary-list__key">([^<]+)</dt>\s*'
            r'<dd class="govuk-summary-list__value">([^<]*)</dd>',
            html,
        )
    )
    assert rows["Caller"] == "Pat Caller"
    assert rows["Phone number"] == "07700 900123"
    assert rows["Contacted us by"] == "phone"
    assert "Email address" not in rows


def test_a_phone_only_caller_gets_a_reference_to_quote_not_an_email_to_track(
    client, contact_centre, street_page
):
    client.force_login(contact_centre)
    phone_only_call(client, street_page)
    html = client.get(journey(street_page) + "?step=check").content.decode()
    token = re.search(r'name="token" value="([0-9a-f-]+)"', html).group(1)
    done = client.get(post(client, street_page, "check", token=token).url)
    page = done.content.decode()
    case = Case.objects.get()
    assert case.reference in page
    assert "quote it whenever they contact us" in page
    assert "your email address" not in page
    assert "confirmation email" not in page


def test_the_staff_banner_is_at_the_top_and_the_header_names_the_staff_member(
    client, contact_centre, street_page
):
    client.force_login(contact_centre)
    client.post(
        reverse("services_cases:on_behalf"),
        {"page": street_page.pk, "channel": "phone", "name": "Pat", "phone": "0770090"},
    )
    html = client.get(street_page.url).content.decode()
    header = html[html.index("<header") : html.index("</header>")]
    assert "Staff: Ada Advisor" in header and "Sign in" not in header
    banner = html.index("Staff: working for a caller")
    assert html.index("</header>") < banner < html.index('id="main-content"')


def test_contact_centre_sees_the_case_they_opened_for_a_caller(
    client, contact_centre, street_page
):
    client.force_login(contact_centre)
    phone_only_call(client, street_page)
    html = client.get(journey(street_page) + "?step=check").content.decode()
    token = re.search(r'name="token" value="([0-9a-f-]+)"', html).group(1)
    post(client, street_page, "check", token=token)
    case = Case.objects.get()

    listing = client.get(reverse("services_cases:list")).content.decode()
    assert case.reference in listing
    assert "0 cases" not in listing
    opened = client.get(reverse("services_cases:list"), {"assignee": "opened"})
    assert case.reference in opened.content.decode()
    detail = client.get(reverse("services_cases:detail", args=[case.pk]))
    assert detail.status_code == 200
    assert "07700 900123" in detail.content.decode()


def test_contact_centre_finds_any_case_by_reference_and_reads_but_cannot_work_it(
    client, contact_centre, bin_service, resident, waste_team
):
    case = actions.open_case(service=bin_service, answers={}, resident=resident)
    client.force_login(contact_centre)
    assert (
        case.reference
        not in client.get(reverse("services_cases:list")).content.decode()
    )

    found = client.get(reverse("services_cases:list"), {"q": case.reference})
    assert case.reference in found.content.decode()
    queue = client.get(reverse("services_cases:list")).content.decode()
    assert f'<option value="{waste_team.pk}">Waste team</option>' in queue

    detail = client.get(reverse("services_cases:detail", args=[case.pk]))
    assert detail.status_code == 200
    assert 'name="to_status"' not in detail.content.decode()
    refused = client.post(
        reverse("services_cases:detail", args=[case.pk]),
        {"action": "status", "to_status": "closed", "message": "x"},
    )
    assert refused.status_code in (302, 403)
    case.refresh_from_db()
    assert case.status == "submitted"
    noted = client.post(
        reverse("services_cases:detail", args=[case.pk]),
        {"action": "note", "text": "Caller rang to chase"},
    )
    assert noted.status_code == 302
    assert case.events.filter(kind="internal_note", actor=contact_centre).exists()


def test_staff_of_another_team_still_cannot_open_a_case_outside_their_queues(
    client, highways_officer, bin_service, resident
):
    case = actions.open_case(service=bin_service, answers={}, resident=resident)
    client.force_login(highways_officer)
    found = client.get(reverse("services_cases:list"), {"q": case.reference})
    assert case.reference not in found.content.decode()
    detail = client.get(reverse("services_cases:detail", args=[case.pk]))
    assert detail.status_code in (302, 404)  # the admin sends a 404 back home
    assert case.reference not in detail.content.decode()
