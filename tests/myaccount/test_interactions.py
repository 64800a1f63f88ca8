"""Calls, emails, visits and letters: logged from a person's page in two clicks,
listed there (paged), kept as long as their reason says, erased with the account,
and joined to the account a person later makes with the email they gave."""

import datetime

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from myaccount import actions as account_actions
from myaccount.guest_claim import claim_guest_records
from services import actions, retention
from services.models import Interaction, InteractionReason
from tests.myaccount.factories import ResidentFactory, with_two_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def advisor(django_user_model):
    user = django_user_model.objects.create_user(
        "advisor",
        "advisor@guildhall.example",
        "pw-advisor-123",
        is_staff=True,
        first_name="Casey",
        last_name="Advisor",
    )
    user.groups.add(Group.objects.get(name="Contact centre"))
    with_two_factor(user)
    return user


@pytest.fixture
def advisor_client(client, advisor):
    client.force_login(advisor)
    return client


def bin_day():
    return InteractionReason.objects.get(name="Bin collection day")


def test_an_advisor_logs_a_call_in_two_clicks_and_sees_it_on_the_persons_page(
    advisor_client, advisor, resident
):
    page = advisor_client.get(f"/admin/residents/{resident.pk}/").content.decode()
    assert "Bin collection day" in page and "None logged." in page
    # Click one: the reason. Click two: log. A phone call, answered, is the default.
    response = advisor_client.post(
        f"/admin/residents/{resident.pk}/",
        {
            "action": "interaction",
            "reason": bin_day().pk,
            "channel": "phone",
            "outcome": "answered_from_website",
        },
    )
    assert response.status_code == 302
    logged = Interaction.objects.get()
    assert (logged.resident, logged.staff, logged.reason) == (
        resident,
        advisor,
        bin_day(),
    )
    assert logged.channel == "phone"
    page = advisor_client.get(f"/admin/residents/{resident.pk}/").content.decode()
    assert "Answered from the website" in page and "Casey Advisor" in page


def test_a_log_without_a_reason_is_refused_with_a_message(advisor_client, resident):
    response = advisor_client.post(
        f"/admin/residents/{resident.pk}/",
        {"action": "interaction", "channel": "phone", "outcome": "answered"},
    )
    assert response.status_code == 200
    assert "Choose why they got in touch" in response.content.decode()
    assert not Interaction.objects.exists()


def test_staff_without_the_log_permission_cannot_log(
    client, django_user_model, resident
):
    group = Group.objects.create(name="Readers")
    group.permissions.set(
        Group.objects.get(name="Contact centre")
        .permissions.exclude(codename="log_interaction")
        .all()
    )
    reader = django_user_model.objects.create_user(
        "reader", "reader@guildhall.example", "pw-reader-123", is_staff=True
    )
    reader.groups.add(group)
    with_two_factor(reader)
    client.force_login(reader)
    page = client.get(f"/admin/residents/{resident.pk}/").content.decode()
    assert "Log interaction" not in page
    response = client.post(
        f"/admin/residents/{resident.pk}/",
        {"action": "interaction", "reason": bin_day().pk, "channel": "phone"},
    )
    assert response.status_code in (302, 403)
    assert not Interaction.objects.exists()


def test_the_persons_interactions_are_paged_with_the_same_queries_however_many(
    advisor_client, advisor, resident
):
    def log(n):
        for _ in range(n):
            actions.log_interaction(
                staff=advisor,
                reason=bin_day(),
                channel="phone",
                outcome="answered",
                resident=resident,
            )

    url = f"/admin/residents/{resident.pk}/"
    log(3)
    advisor_client.get(url)
    with CaptureQueriesContext(connection) as few:
        advisor_client.get(url)
    log(60)
    with CaptureQueriesContext(connection) as many:
        html = advisor_client.get(url).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert "Page 1 of 4" in html
    assert "Page 4 of 4" in advisor_client.get(url, {"ip": 4}).content.decode()


def test_interactions_lose_the_person_after_their_reasons_retention(advisor):
    reason = bin_day()
    reason.retention_days = 30
    reason.save()
    old = actions.log_interaction(
        staff=advisor,
        reason=reason,
        channel="phone",
        outcome="answered",
        contact_name="Pat Caller",
        contact_phone="07700 900555",
        note="Asked about Tuesday",
    )
    Interaction.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    recent = actions.log_interaction(
        staff=advisor,
        reason=reason,
        channel="phone",
        outcome="answered",
        contact_name="Sam Caller",
    )
    assert retention.erase_expired_interactions() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.contact_name, old.contact_phone, old.note) == ("", "", "")
    assert old.anonymised_at is not None
    assert old.reason == reason and old.channel == "phone"  # the figures stay
    assert recent.contact_name == "Sam Caller" and recent.anonymised_at is None
    assert retention.erase_expired_interactions() == 0


def test_deleting_an_account_erases_the_person_from_their_interactions(
    advisor, resident
):
    mine = actions.log_interaction(
        staff=advisor,
        reason=bin_day(),
        channel="email",
        outcome="answered",
        resident=resident,
        note="Wrote in about Amira Khan's bins",
    )
    before_account = actions.log_interaction(
        staff=advisor,
        reason=bin_day(),
        channel="letter",
        outcome="answered",
        contact_name="Amira Khan",
        contact_email=resident.email.upper(),
    )
    account_actions.delete_account(user=resident)
    for interaction in (mine, before_account):
        interaction.refresh_from_db()
        assert interaction.resident is None
        assert (interaction.contact_name, interaction.contact_email) == ("", "")
        assert interaction.note == ""


def test_a_person_logged_by_email_is_joined_to_the_account_they_make_with_it(
    advisor,
):
    logged = actions.log_interaction(
        staff=advisor,
        reason=bin_day(),
        channel="phone",
        outcome="answered",
        contact_name="New Person",
        contact_email="new.person@example.com",
    )
    user = ResidentFactory(email="new.person@example.com")
    claim_guest_records(user=user, email="new.person@example.com")
    logged.refresh_from_db()
    assert logged.resident == user
    assert list(Interaction.objects.for_resident(user)) == [logged]
