"""Profile, address lookup and contact preferences: server-side validation with
clear messages, and the address stored with its UPRN."""

import pytest

from myaccount.models import Profile

pytestmark = pytest.mark.django_db


def errors(response) -> str:
    return response.content.decode()


def test_profile_shows_the_residents_details_in_a_summary_list(
    resident_client, resident
):
    html = resident_client.get("/account/profile/").content.decode()
    assert "govuk-summary-list" in html
    assert "Amira Khan" in html
    assert "3 High Street" in html
    assert resident.email in html


def test_profile_update(resident_client, resident):
    response = resident_client.post(
        "/account/profile/edit/",
        {
            "first_name": "Amira",
            "last_name": "Khan-Ali",
            "phone": "+44 7700 900 982",
            "language": "cy",
        },
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    profile = resident.resident_profile
    assert resident.last_name == "Khan-Ali"
    assert profile.phone == "+447700900982"
    assert profile.language == "cy"


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"first_name": "", "last_name": "K", "language": "en"},
            "Enter your first name",
        ),
        (
            {"first_name": "A" * 101, "last_name": "K", "language": "en"},
            "First name must be 100 characters or fewer",
        ),
        (
            {"first_name": "A", "last_name": "K" * 101, "language": "en"},
            "Last name must be 100 characters or fewer",
        ),
        (
            {"first_name": "A", "last_name": "K", "phone": "12345", "language": "en"},
            "Enter a UK phone number",
        ),
        (
            {"first_name": "A", "last_name": "K", "phone": "0" * 21, "language": "en"},
            "Phone number must be 20 characters or fewer",
        ),
        (
            {"first_name": "A", "last_name": "K", "language": "xx"},
            "Select a language from the list",
        ),
    ],
)
def test_profile_errors_are_clear(resident_client, data, message):
    response = resident_client.post("/account/profile/edit/", data)
    assert response.status_code == 400
    html = errors(response)
    assert "govuk-error-summary" in html
    assert message in html
    assert "<title>Error:" in html


def test_address_lookup_stores_the_chosen_address_with_its_uprn(
    resident_client, resident
):
    response = resident_client.get("/account/profile/address/", {"postcode": "gh2 3cc"})
    assert response.status_code == 302
    assert response["Location"] == "/account/profile/address/choose/?postcode=GH2+3CC"
    page = resident_client.get(response["Location"])
    assert "4 Orchard Close, Guildhall, GH2 3CC" in page.content.decode()
    response = resident_client.post(
        "/account/profile/address/choose/",
        {"postcode": "GH2 3CC", "uprn": "100090200004"},
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=resident)
    assert (profile.address_line_1, profile.postcode, profile.uprn) == (
        "4 Orchard Close",
        "GH2 3CC",
        "100090200004",
    )


@pytest.mark.parametrize("postcode", ["NOT A PC", "GH1", "12345", "GH1 1AAA"])
def test_bad_postcode_is_refused(resident_client, postcode):
    response = resident_client.get("/account/profile/address/", {"postcode": postcode})
    assert response.status_code == 400
    assert "Enter a full UK postcode, like GH1 1AA" in errors(response)


def test_empty_postcode_and_over_long_postcode(resident_client):
    assert "Enter a postcode" in errors(
        resident_client.get("/account/profile/address/", {"postcode": ""})
    )
    assert "Postcode must be 10 characters or fewer" in errors(
        resident_client.get("/account/profile/address/", {"postcode": "G" * 11})
    )


def test_an_address_the_lookup_did_not_return_is_refused(resident_client, resident):
    response = resident_client.post(
        "/account/profile/address/choose/",
        {"postcode": "GH2 3CC", "uprn": "999999999999"},
    )
    assert response.status_code == 400
    assert "Select an address from the list" in errors(response)
    assert Profile.objects.get(user=resident).uprn == "100090000003"


def test_no_addresses_at_a_postcode(resident_client):
    page = resident_client.get("/account/profile/address/choose/?postcode=SW1A 1AA")
    assert "We could not find any addresses at that postcode" in errors(page)


def test_contact_preferences(resident_client, resident):
    response = resident_client.post(
        "/account/profile/contact/",
        {"channels": ["email", "sms"], "topics": ["bins", "roads"]},
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=resident)
    assert profile.contact_by_sms and profile.contact_by_email
    assert profile.contact_topics == ["bins", "roads"]


def test_sms_needs_a_phone_number(resident_client, resident):
    Profile.objects.filter(user=resident).update(phone="")
    response = resident_client.post("/account/profile/contact/", {"channels": ["sms"]})
    assert response.status_code == 400
    assert "Add a phone number to your profile before choosing text messages" in errors(
        response
    )


def test_unknown_topic_is_refused(resident_client):
    response = resident_client.post("/account/profile/contact/", {"topics": ["gossip"]})
    assert response.status_code == 400
    assert "Select topics from the list" in errors(response)
