"""Every person is a contact: matching rules (only a verified email address or
phone number joins records, never a name or an unverified detail), the guest
who signs up and finds their calls and reports in their account, merging
duplicates with an audit trail and undo, the person page, logging from a case
and handing work between teams, and residents seeing only their own history."""

import re

from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
from allauth.account.models import EmailAddress

from services import actions, contacts
from services.enums import CaseEventKind
from services.models import (
    Case,
    CaseEvent,
    Consent,
    Contact,
    ContactMerge,
    Interaction,
    InteractionReason,
)
from tests.myaccount.factories import PASSWORD, MyAccountPageFactory, with_two_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def advisor(django_user_model):
    user = django_user_model.objects.create_user(
        "advisor", "advisor@guildhall.example", "pw-advisor-123", first_name="Casey"
    )
    group = Group.objects.get(name="Contact centre")
    group.permissions.add(Permission.objects.get(codename="open_case_on_behalf"))
    user.groups.add(group)
    with_two_factor(user)
    return user


@pytest.fixture
def advisor_client(client, advisor):
    client.force_login(advisor)
    return client


@pytest.fixture
def reason():
    return InteractionReason.objects.get(name="Bin collection day")


def guest_report(service, *, email="", name="Sam Guest", **extra):
    return actions.open_case(
        service=service,
        answers={"description": "Missed bin"},
        guest_email=email,
        contact_name=name,
        **extra,
    )


def call(reason, staff, **person):
    return actions.log_interaction(
        staff=staff, reason=reason, channel="phone", outcome="answered", **person
    )


# Matching rules


def test_the_same_unverified_email_never_joins_two_guests(bin_service):
    first = guest_report(bin_service, email="sam@example.com")
    second = guest_report(bin_service, email="SAM@example.com ")
    assert first.contact_id != second.contact_id
    # Staff see them as possible duplicates instead.
    assert list(contacts.possible_duplicates(first.contact)) == [second.contact]


def test_a_name_alone_never_matches(reason, advisor):
    one = call(reason, advisor, contact_name="Pat Caller", contact_phone="07700900001")
    two = call(reason, advisor, contact_name="Pat Caller", contact_phone="07700900002")
    assert one.contact_id != two.contact_id
    assert list(contacts.possible_duplicates(one.contact)) == []


def test_a_verified_phone_number_joins_a_caller_however_it_is_written(reason, advisor):
    known = contacts.contact_for_details(name="Pat Caller", phone="07700 900123")
    assert contacts.verify_point(contact=known, kind="phone", value="07700900123")
    logged = call(reason, advisor, contact_phone="+44 (0)7700 900123")
    assert logged.contact == known
    # The number is held once, normalised.
    assert list(known.points.values_list("value", flat=True)) == ["07700900123"]


def test_a_guest_report_with_an_accounts_verified_email_is_in_their_account(
    client, bin_service, resident, other_resident, home_page
):
    EmailAddress.objects.create(
        user=resident, email=resident.email, verified=True, primary=True
    )
    contacts.join_contacts_by_email(user=resident, email=resident.email)
    case = guest_report(bin_service, email=resident.email.upper())
    assert case.contact == resident.contact
    assert Case.objects.for_resident(resident).filter(pk=case.pk).exists()
    assert not Case.objects.for_resident(other_resident).exists()


def test_a_call_a_guest_report_and_a_signed_in_report_end_up_on_one_contact(
    client, bin_service, reason, advisor, home_page
):
    """The issue's case: a caller who gave their email, a guest web report with
    it, then sign-up (verifying it) and a report made signed in."""
    phoned = call(
        reason,
        advisor,
        contact_name="Sam Guest",
        contact_email="sam.guest@example.com",
        contact_phone="07700 900555",
    )
    reported = guest_report(bin_service, email="sam.guest@example.com")
    assert phoned.contact_id != reported.contact_id  # nothing verified yet

    client.post(
        "/account/signup/",
        {
            "email": "sam.guest@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    confirm = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body).group(1)
    client.post(confirm)
    user = EmailAddress.objects.get(email="sam.guest@example.com", verified=True).user
    signed_in = actions.open_case(
        service=bin_service, answers={"description": "Again"}, resident=user
    )

    person = Contact.objects.get(user=user)
    assert set(person.cases.values_list("pk", flat=True)) == {
        reported.pk,
        signed_in.pk,
    }
    assert list(person.interactions.all()) == [phoned]
    assert {c.pk for c in Case.objects.for_resident(user)} == {
        reported.pk,
        signed_in.pk,
    }
    assert person.points.get(kind="email").verified
    assert person.points.filter(kind="phone", value="07700900555").exists()
    joins = ContactMerge.objects.filter(kept=person)
    assert joins.count() == 2 and {j.reason for j in joins} == {"sign_up"}


# Merge and undo


@pytest.fixture
def two_records(bin_service, reason, advisor):
    """Sam, twice: a web report by email and a call by phone, with a consent."""
    web = guest_report(bin_service, email="sam@example.com", name="Sam Guest")
    phoned = call(reason, advisor, contact_name="S Guest", contact_phone="07700900777")
    contacts.record_consent(
        contact=phoned.contact,
        purpose="sms_updates",
        granted=True,
        channel="phone",
        staff=advisor,
    )
    return web, phoned


def test_staff_merge_two_people_and_undo_it_from_the_log(
    advisor_client, advisor, two_records
):
    web, phoned = two_records
    keep, other = web.contact, phoned.contact
    page = advisor_client.get(
        reverse("myaccount_admin:contact_merge", args=[keep.pk, other.pk])
    )
    assert page.status_code == 200 and "S Guest" in page.content.decode()
    response = advisor_client.post(
        reverse("myaccount_admin:contact_merge", args=[keep.pk, other.pk])
    )
    assert response["Location"] == reverse(
        "myaccount_admin:contact_detail", args=[keep.pk]
    )
    assert Interaction.objects.get(pk=phoned.pk).contact == keep
    assert Consent.objects.get().contact == keep
    assert keep.points.filter(value="07700900777").exists()
    log = ContactMerge.objects.get()
    assert (log.actor, log.kept, log.merged) == (advisor, keep, other)
    assert log.counts == {"interactions": 1, "consents": 1, "points": 1}
    # The merged person's page now leads to the one kept.
    moved = advisor_client.get(
        reverse("myaccount_admin:contact_detail", args=[other.pk])
    )
    assert moved["Location"] == reverse(
        "myaccount_admin:contact_detail", args=[keep.pk]
    )
    listing = advisor_client.get(reverse("myaccount_admin:merge_log")).content.decode()
    assert "1 interactions, 1 consents, 1 points" in listing

    advisor_client.post(reverse("myaccount_admin:merge_undo", args=[log.pk]))
    assert Interaction.objects.get(pk=phoned.pk).contact == other
    assert Consent.objects.get().contact == other
    assert not keep.points.filter(value="07700900777").exists()
    assert Contact.objects.get(pk=other.pk).merged_into is None
    log.refresh_from_db()
    assert log.undone_by == advisor and log.undone_at is not None
    listing = advisor_client.get(reverse("myaccount_admin:merge_log")).content.decode()
    assert "Undone" in listing


def test_an_older_merge_is_undone_only_after_the_later_one(advisor, two_records):
    web, phoned = two_records
    third = contacts.contact_for_details(name="Sam", email="sam@example.com")
    first = contacts.merge_contacts(
        keep=web.contact, merge=phoned.contact, actor=advisor
    )
    contacts.merge_contacts(keep=web.contact, merge=third, actor=advisor)
    with pytest.raises(contacts.MergeRefused, match="later merge"):
        contacts.undo_merge(merge=first, actor=advisor)


def test_two_accounts_are_never_merged(advisor_client, resident, other_resident):
    one = contacts.contact_for_user(resident)
    two = contacts.contact_for_user(other_resident)
    response = advisor_client.post(
        reverse("myaccount_admin:contact_merge", args=[one.pk, two.pk])
    )
    assert response.status_code == 400
    assert "Both people have an account" in response.content.decode()
    assert not ContactMerge.objects.exists()


def test_staff_without_the_merge_permission_cannot_merge(
    client, django_user_model, two_records
):
    web, phoned = two_records
    viewer = django_user_model.objects.create_user("viewer", "v@example.com", "pw")
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_single_customer_view"),
    )
    with_two_factor(viewer)
    client.force_login(viewer)
    url = reverse(
        "myaccount_admin:contact_merge", args=[web.contact_id, phoned.contact_id]
    )
    assert client.get(url).status_code == 302
    assert client.post(url).status_code == 302
    assert not ContactMerge.objects.exists()
    person = client.get(
        reverse("myaccount_admin:contact_detail", args=[web.contact_id])
    )
    assert person.status_code == 200
    assert "Compare and merge" not in person.content.decode()


# The person page


def test_the_person_page_shows_a_guest_everything_and_is_audit_logged(
    advisor_client, advisor, bin_service, reason
):
    case = guest_report(bin_service, email="sam@example.com", uprn="100090000999")
    actions.add_note(case=case, actor=advisor, text="Crew sent", public=True)
    call(reason, advisor, case=case)
    response = advisor_client.get(
        reverse("myaccount_admin:contact_detail", args=[case.contact_id])
    )
    html = response.content.decode()
    assert reverse("services_cases:detail", args=[case.pk]) in html
    assert "sam@example.com" in html and "not verified" in html
    assert "Crew sent" in html  # messages sent
    assert "Bin collection day" in html
    assert reverse("myaccount_admin:property_detail", args=["100090000999"]) in html
    from myaccount.models import AuditLogEntry

    entry = AuditLogEntry.objects.get(detail__view="person page")
    assert entry.actor == advisor and entry.detail["contact"] == case.contact_id


def test_a_consent_is_recorded_and_checked_on_the_server(advisor_client, bin_service):
    case = guest_report(bin_service, email="sam@example.com")
    url = reverse("myaccount_admin:contact_detail", args=[case.contact_id])
    refused = advisor_client.post(url, {"action": "consent"})
    assert "Choose what they agreed to or refused" in refused.content.decode()
    advisor_client.post(
        url,
        {
            "action": "consent",
            "purpose": "email_updates",
            "granted": "no",
            "channel": "phone",
        },
    )
    consent = Consent.objects.get()
    assert (consent.purpose, consent.granted) == ("email_updates", False)
    assert "Refused" in advisor_client.get(url).content.decode()


def test_search_finds_people_by_email_phone_name_and_reference(
    advisor_client, bin_service, reason, advisor
):
    case = guest_report(bin_service, email="sam@example.com", name="Samira Guest")
    phoned = call(
        reason, advisor, contact_name="Pat Caller", contact_phone="07700900321"
    )
    person = reverse("myaccount_admin:contact_detail", args=[case.contact_id])
    caller = reverse("myaccount_admin:contact_detail", args=[phoned.contact_id])
    search = reverse("myaccount_admin:resident_search")
    for query, expected in (
        ("SAM@example.com", person),
        ("mira gu", person),
        (case.reference, person),
        ("+44 7700 900321", caller),
    ):
        html = advisor_client.get(search, {"q": query}).content.decode()
        assert expected in html, query


def test_the_person_page_costs_the_same_queries_however_long_the_history(
    advisor_client, advisor, bin_service, reason
):
    case = guest_report(bin_service, email="sam@example.com")
    person = case.contact
    url = reverse("myaccount_admin:contact_detail", args=[person.pk])

    def count():
        advisor_client.get(url)  # warm the per-request caches
        with CaptureQueriesContext(connection) as queries:
            assert advisor_client.get(url).status_code == 200
        return len(queries)

    few = count()
    for n in range(25):
        more = guest_report(bin_service, email="sam@example.com")
        Case.objects.filter(pk=more.pk).update(contact=person)
        actions.add_note(case=more, actor=advisor, text=f"Update {n}", public=True)
        call(reason, advisor, case=more)
    assert count() == few
    assert few <= 30, few


# Logging from a case, handover


def test_two_clicks_on_a_case_log_bin_day_answered_from_the_website(
    advisor_client, bin_service, reason
):
    case = guest_report(bin_service, email="sam@example.com")
    url = reverse("services_cases:detail", args=[case.pk])
    page = advisor_client.get(url).content.decode()
    assert "Answered from the website" in page
    response = advisor_client.post(
        url,
        {
            "action": "interaction",
            "reason": reason.pk,
            "channel": "phone",
            "outcome": "answered_from_website",
        },
    )
    assert response.status_code == 302
    logged = Interaction.objects.get()
    assert (logged.case, logged.contact_id, logged.outcome) == (
        case,
        case.contact_id,
        "answered_from_website",
    )


def test_a_team_hands_a_case_to_another_team_with_a_note(
    client, waste_officer, bin_service, street_service, highways_team
):
    case = guest_report(bin_service, email="sam@example.com")
    client.force_login(waste_officer)
    url = reverse("services_cases:detail", args=[case.pk])
    missing = client.post(url, {"action": "handover", "to_team": highways_team.pk})
    assert "Write a note for the team" in missing.content.decode()
    client.post(
        url,
        {"action": "handover", "to_team": highways_team.pk, "note": "Fly-tip on road"},
    )
    case.refresh_from_db()
    assert case.team == highways_team and case.assignee is None
    event = CaseEvent.objects.get(case=case, kind=CaseEventKind.HANDED_OVER)
    assert not event.public and "Fly-tip on road" in event.text
    # The waste team no longer works it, so cannot see it.
    assert client.get(url).status_code == 404


def test_an_interactions_follow_up_is_handed_to_a_team(
    advisor_client, advisor, reason, bin_service, waste_team
):
    logged = call(reason, advisor, contact_name="Pat", contact_phone="07700900999")
    url = reverse("myaccount_admin:interaction_handover", args=[logged.pk])
    assert advisor_client.post(url, {"note": "x"}).status_code == 400
    advisor_client.post(url, {"to_team": waste_team.pk, "note": "Call back on Monday"})
    logged.refresh_from_db()
    assert logged.follow_up_team == waste_team
    page = advisor_client.get(
        reverse("myaccount_admin:contact_detail", args=[logged.contact_id])
    ).content.decode()
    assert "Call back on Monday" in page


# Residents


def test_residents_see_their_own_interactions_in_my_account_only(
    client, home_page, resident, other_resident, reason, advisor
):
    page = MyAccountPageFactory(parent=home_page)
    call(reason, advisor, resident=resident)
    client.force_login(resident)
    assert "Phone call: Bin collection day" in client.get(page.url).content.decode()
    client.force_login(other_resident)
    assert "Bin collection day" not in client.get(page.url).content.decode()


# The backfill


def test_the_backfill_gives_every_existing_record_a_contact(
    bin_service, resident, reason, advisor
):
    import importlib

    from django.apps import apps

    backfill = importlib.import_module(
        "services.migrations.0025_backfill_contacts"
    ).backfill
    EmailAddress.objects.create(user=resident, email=resident.email, verified=True)
    mine = actions.open_case(service=bin_service, answers={}, resident=resident)
    guest_with_my_email = guest_report(bin_service, email=resident.email)
    a = guest_report(bin_service, email="sam@example.com")
    b = guest_report(bin_service, email="sam@example.com")
    logged = call(reason, advisor, contact_name="Pat", contact_phone="07700900111")
    Case.objects.update(contact=None)
    Interaction.objects.update(contact=None)
    Contact.objects.all().delete()

    backfill(apps, None)

    person = Contact.objects.get(user=resident)
    assert person.points.get(value=resident.email).verified
    assert set(person.cases.values_list("pk", flat=True)) == {
        mine.pk,
        guest_with_my_email.pk,
    }
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.contact_id and b.contact_id and a.contact_id != b.contact_id
    logged.refresh_from_db()
    assert logged.contact.points.get().value == "07700900111"
