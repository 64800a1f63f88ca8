"""Organisation accounts: register, invite a colleague by email, accept only as the
invited (verified) address."""

import re

from django.core import mail

import pytest
import time_machine
from allauth.account.models import EmailAddress

from myaccount.models import (
    Organisation,
    OrganisationInvitation,
    OrganisationMembership,
)
from tests.myaccount.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def test_register_an_organisation_and_invite_a_colleague(
    client, resident, other_resident
):
    client.force_login(resident)
    response = client.post(
        "/account/organisations/new/",
        {"name": "Khan Catering", "registration_number": "sc123456"},
    )
    organisation = Organisation.objects.get()
    assert response["Location"] == f"/account/organisations/{organisation.pk}/"
    assert organisation.registration_number == "SC123456"
    response = client.post(
        f"/account/organisations/{organisation.pk}/", {"email": other_resident.email}
    )
    assert response.status_code == 302
    assert mail.outbox[-1].to == [other_resident.email]
    path = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body).group(1)

    # Someone else who got hold of the link cannot use it.
    stranger = ResidentFactory()
    client.force_login(stranger)
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404

    client.force_login(other_resident)
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 302
    assert OrganisationMembership.objects.filter(
        organisation=organisation, user=other_resident, role="member"
    ).exists()
    # Used once.
    assert client.get(path).status_code == 404


def test_an_unverified_address_cannot_accept(client, resident):
    client.force_login(resident)
    client.post("/account/organisations/new/", {"name": "Khan Catering"})
    organisation = Organisation.objects.get()
    invitee = ResidentFactory(email="new.colleague@example.com", verified=False)
    client.post(f"/account/organisations/{organisation.pk}/", {"email": invitee.email})
    path = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body).group(1)
    client.force_login(invitee)
    assert client.get(path).status_code == 404
    EmailAddress.objects.filter(user=invitee).update(verified=True)
    assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": ""}, "Enter the organisation name"),
        ({"name": "x" * 201}, "Organisation name must be 200 characters or fewer"),
        (
            {"name": "Ok", "registration_number": "12"},
            "Enter a Companies House number in the right format",
        ),
    ],
)
def test_organisation_form_errors(client, resident, data, message):
    client.force_login(resident)
    response = client.post("/account/organisations/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_members_cannot_invite_and_can_leave(client, resident, other_resident):
    client.force_login(resident)
    client.post("/account/organisations/new/", {"name": "Khan Catering"})
    organisation = Organisation.objects.get()
    OrganisationMembership.objects.create(
        organisation=organisation, user=other_resident
    )
    client.force_login(other_resident)
    html = client.get(f"/account/organisations/{organisation.pk}/").content.decode()
    assert "Invite a colleague" not in html
    assert (
        client.post(
            f"/account/organisations/{organisation.pk}/", {"email": "x@example.com"}
        ).status_code
        == 404
    )
    assert (
        client.post(f"/account/organisations/{organisation.pk}/leave/").status_code
        == 302
    )
    assert not OrganisationMembership.objects.filter(user=other_resident).exists()


PHISHING_NAME = (
    "URGENT: your council tax refund of £450 is waiting - "
    "claim at https://evil.example/refund or www.evil.example"
)


def invite(client, organisation, email):
    return client.post(f"/account/organisations/{organisation.pk}/", {"email": email})


def registered(client, user, name="Khan Catering"):
    client.force_login(user)
    client.post("/account/organisations/new/", {"name": name})
    return Organisation.objects.get(name=name)


def test_an_invitation_never_carries_the_residents_text_as_a_subject_or_a_link(
    client, resident
):
    organisation = registered(client, resident, PHISHING_NAME)
    assert invite(client, organisation, "victim@example.com").status_code == 302
    [message] = mail.outbox
    assert message.subject == "You have been invited to join an organisation's account"
    assert "evil.example" not in message.body
    assert "evil[.]example" in message.body  # quoted as data, not as a link
    links = re.findall(r"(?:https?://|www\.)\S+", message.body)
    assert len(links) == 1 and links[0].startswith("http://testserver/account/")
    assert "as they typed it (we have not checked it)" in message.body


def test_a_name_with_invisible_characters_is_refused_and_nothing_is_sent(
    client, resident
):
    client.force_login(resident)
    response = client.post(
        "/account/organisations/new/",
        {"name": "Khan \u202eCatering"},  # right-to-left override: reorders text
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html
    assert "Organisation name must be on one line" in html
    assert not Organisation.objects.exists()
    assert mail.outbox == []


def test_a_line_break_in_the_name_is_folded_onto_one_line(client, resident):
    """A text box holds one line; a scripted line break (a forged email header in
    an invitation) becomes a space, like every one-line answer on the site."""
    client.force_login(resident)
    client.post(
        "/account/organisations/new/",
        {"name": "Khan Catering\r\nBcc: everyone@example.com"},
    )
    assert Organisation.objects.get().name == "Khan Catering Bcc: everyone@example.com"
    assert mail.outbox == []


def test_invitations_are_limited_per_resident_per_day(client, resident, settings):
    settings.ORGANISATION_INVITATIONS_PER_USER_PER_DAY = 3
    first = registered(client, resident, "First Ltd")
    second = registered(client, resident, "Second Ltd")
    with time_machine.travel("2026-06-01 09:00", tick=False):
        for n, organisation in enumerate([first, second, first]):
            assert invite(client, organisation, f"p{n}@example.com").status_code == 302
        response = invite(client, second, "p9@example.com")
        assert response.status_code == 429
        assert "as many invitations as we allow in a day" in response.content.decode()
    assert OrganisationInvitation.objects.count() == 3 and len(mail.outbox) == 3
    with time_machine.travel("2026-06-02 09:01", tick=False):
        assert invite(client, second, "p9@example.com").status_code == 302


def test_invitations_are_limited_per_organisation_per_day(
    client, resident, other_resident, settings
):
    settings.ORGANISATION_INVITATIONS_PER_ORGANISATION_PER_DAY = 2
    organisation = registered(client, resident)
    OrganisationMembership.objects.create(
        organisation=organisation, user=other_resident, role="admin"
    )
    assert invite(client, organisation, "a@example.com").status_code == 302
    client.force_login(other_resident)
    assert invite(client, organisation, "b@example.com").status_code == 302
    assert invite(client, organisation, "c@example.com").status_code == 429
    assert len(mail.outbox) == 2
    # The limit is the organisation's: the same admin's other organisation is not.
    other = registered(client, other_resident, "Other Ltd")
    assert invite(client, other, "c@example.com").status_code == 302


def test_no_invitation_is_kept_when_the_email_cannot_go(client, resident, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 8149  # nothing listens
    settings.EMAIL_TIMEOUT = 2
    organisation = registered(client, resident)
    response = invite(client, organisation, "someone@example.com")
    assert response.status_code == 503
    assert "could not send the invitation" in response.content.decode()
    assert not OrganisationInvitation.objects.exists()
