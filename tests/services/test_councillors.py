"""A councillor raises an enquiry for a constituent, with the constituent's consent
recorded; both hear about every update."""

import re

from django.contrib.auth.models import Group

import pytest

from services import actions
from services.blocks.transactions import STEP_FIELD, TRANSACTION_FIELD
from services.councillors import COUNCILLORS_GROUP, open_enquiry
from services.enums import OutboxTopic
from services.models import Case, ConstituentEnquiry, OutboxEvent, ServiceDefinition
from services.outbox import build_notifications
from tests.factories.services import ServiceLandingPageFactory, ServicePageFactory
from tests.services.conftest import block_id, journey

pytestmark = pytest.mark.django_db

CONSTITUENT = {
    "name": "Ruth Okoye",
    "email": "ruth@example.com",
    "address": "4 Mill Lane, Guildhall GH1 2BB",
}


@pytest.fixture
def enquiries(db):
    return ServiceDefinition.objects.create(
        name="Councillor enquiry",
        reference_prefix="CLR",
        case_type="Councillor enquiry",
        team=Group.objects.create(name="Democratic services"),
    )


@pytest.fixture
def councillor(django_user_model):
    user = django_user_model.objects.create_user(
        "cllr", "cllr@example.com", "pw-cllr-12345"
    )
    # The group comes from a migration.
    user.groups.add(Group.objects.get(name=COUNCILLORS_GROUP))
    return user


@pytest.fixture
def enquiry_page(home_page, enquiries):
    landing = ServiceLandingPageFactory(parent=home_page, title="Council", slug="c")
    page = ServicePageFactory(
        parent=landing,
        title="Councillor enquiry",
        slug="councillor-enquiry",
        body=[("councillor_enquiry", {"service": enquiries, "heading": ""})],
    )
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def test_the_enquiry_records_consent_and_both_get_every_update(enquiries, councillor):
    case = open_enquiry(
        service=enquiries,
        councillor=councillor,
        constituent=CONSTITUENT,
        consent="In person",
        enquiry="The streetlight outside has been out for a month.",
    )
    assert case.resident == councillor
    recorded = ConstituentEnquiry.objects.get(case=case)
    assert (recorded.name, recorded.consent, recorded.councillor) == (
        "Ruth Okoye",
        "In person",
        councillor,
    )
    actions.add_note(
        case=case, actor=None, text="An engineer visits on Monday.", public=True
    )
    update = OutboxEvent.objects.get(case=case, topic=OutboxTopic.PUBLIC_UPDATE)
    sent_to = sorted(n.to for n in build_notifications(update))
    assert sent_to == ["cllr@example.com", "ruth@example.com"]
    assert all(
        "An engineer visits on Monday." in n.body for n in build_notifications(update)
    )


def test_only_councillors_raise_enquiries_and_only_with_consent(
    enquiries, councillor, resident
):
    with pytest.raises(actions.NotPermitted):
        open_enquiry(
            service=enquiries, councillor=resident, constituent=CONSTITUENT,
            consent="By phone", enquiry="x",
        )  # fmt: skip
    with pytest.raises(ValueError, match="consent"):
        open_enquiry(
            service=enquiries, councillor=councillor, constituent=CONSTITUENT,
            consent="", enquiry="x",
        )  # fmt: skip
    assert not Case.objects.exists()


def post(client, page, step, **data):
    return client.post(
        journey(page),
        {
            TRANSACTION_FIELD: block_id(page, "councillor_enquiry"),
            STEP_FIELD: step,
            **data,
        },
    )


def test_a_councillor_raises_the_enquiry_through_the_page(
    client, enquiry_page, councillor
):
    client.force_login(councillor)
    assert (
        "The constituent&#x27;s full name"
        in client.get(journey(enquiry_page)).content.decode()
    )
    post(client, enquiry_page, "constituent", **CONSTITUENT)
    refused = post(client, enquiry_page, "consent", how="By phone")
    assert refused.status_code == 200
    assert "Confirm the constituent agreed" in refused.content.decode()
    post(client, enquiry_page, "consent", how="By phone", agreed="on")
    check = post(client, enquiry_page, "enquiry", enquiry="Bins missed every week.")
    html = client.get(check.url).content.decode()
    assert "Ruth Okoye" in html and "By phone" in html
    token = re.search(r'name="token" value="([0-9a-f-]+)"', html).group(1)
    post(client, enquiry_page, "check", token=token)
    case = Case.objects.get()
    assert case.resident == councillor
    assert case.constituent.email == "ruth@example.com"
    assert case.answers["How the constituent agreed"] == "By phone"


def test_other_signed_in_people_are_told_it_is_for_councillors(
    client, enquiry_page, resident
):
    client.force_login(resident)
    html = client.get(enquiry_page.url).content.decode()  # the service page says so
    assert "Only councillors can raise an enquiry for a constituent" in html
    post(client, enquiry_page, "constituent", **CONSTITUENT)
    assert not Case.objects.exists()


def test_erasing_the_case_erases_the_constituent_and_their_consent(
    enquiries, councillor
):
    from services.erasure import erase_cases

    case = open_enquiry(
        service=enquiries, councillor=councillor, constituent=CONSTITUENT,
        consent="In person", enquiry="Bins",
    )  # fmt: skip
    erase_cases([case.pk], reason="Retention period over")
    assert not ConstituentEnquiry.objects.exists()
    assert "Ruth Okoye" not in " ".join(case.events.values_list("text", flat=True))
