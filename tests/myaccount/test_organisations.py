"""Organisation accounts: register, invite a colleague by email, accept only as the
invited (verified) address."""

import re

from django.core import mail

import pytest
from allauth.account.models import EmailAddress

from myaccount.models import Organisation, OrganisationMembership
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
