"""Linking a council tax account: the security check, refusals, rate limit and the
dashboard summary, through the local (demo) back office."""

import pytest

from myaccount.enums import AuditAction
from myaccount.models import AuditLogEntry, CouncilTaxLink
from tests.myaccount.factories import (
    CouncilTaxLinkFactory,
    DemoCouncilTaxAccountFactory,
    ResidentFactory,
)

pytestmark = pytest.mark.django_db

URL = "/account/council-tax/link/"


@pytest.fixture
def bill(db):
    return DemoCouncilTaxAccountFactory(account_number="10000001", postcode="GH1 1AA")


def test_linking_with_the_right_postcode_shows_the_balance_on_the_dashboard(
    resident_client, resident, bill, my_account_page
):
    response = resident_client.post(
        URL, {"account_number": "10000001", "postcode": "gh1 1aa"}
    )
    assert response.status_code == 302
    assert CouncilTaxLink.objects.filter(
        user=resident, account_number="10000001"
    ).exists()
    assert AuditLogEntry.objects.filter(
        action=AuditAction.COUNCIL_TAX_LINKED, subject=resident
    ).exists()
    html = resident_client.get(my_account_page.url).content.decode()
    assert "£1,246.50" in html
    assert "£138.50 on" in html


def test_a_wrong_security_answer_is_refused(resident_client, resident, bill):
    response = resident_client.post(
        URL, {"account_number": "10000001", "postcode": "GH9 9ZZ"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "do not match our records" in html
    assert not CouncilTaxLink.objects.exists()
    assert (
        AuditLogEntry.objects.filter(action=AuditAction.COUNCIL_TAX_REFUSED).count()
        == 1
    )


def test_an_unknown_account_gets_the_same_answer_as_a_wrong_postcode(
    resident_client, bill
):
    wrong = resident_client.post(
        URL, {"account_number": "10000001", "postcode": "GH9 9ZZ"}
    )
    unknown = resident_client.post(
        URL, {"account_number": "19999999", "postcode": "GH1 1AA"}
    )
    assert wrong.status_code == unknown.status_code == 400
    assert "do not match our records" in unknown.content.decode()


def test_attempts_are_rate_limited_even_with_the_right_answer_afterwards(
    resident_client, resident, bill, settings
):
    settings.COUNCIL_TAX_LINK_ATTEMPTS = 3
    for _ in range(3):
        assert (
            resident_client.post(
                URL, {"account_number": "10000001", "postcode": "GH9 9ZZ"}
            ).status_code
            == 400
        )
    response = resident_client.post(
        URL, {"account_number": "10000001", "postcode": "GH1 1AA"}
    )
    assert response.status_code == 429
    assert "too many times" in response.content.decode()
    assert not CouncilTaxLink.objects.exists()


def test_the_limit_is_per_resident(client, resident, other_resident, bill, settings):
    settings.COUNCIL_TAX_LINK_ATTEMPTS = 1
    client.force_login(resident)
    client.post(URL, {"account_number": "10000001", "postcode": "GH9 9ZZ"})
    assert (
        client.post(
            URL, {"account_number": "10000001", "postcode": "GH1 1AA"}
        ).status_code
        == 429
    )
    client.force_login(other_resident)
    assert (
        client.post(
            URL, {"account_number": "10000001", "postcode": "GH1 1AA"}
        ).status_code
        == 302
    )


def test_a_resident_gets_no_fresh_tries_from_another_address(
    client, resident, bill, settings
):
    settings.COUNCIL_TAX_LINK_ATTEMPTS = 2
    client.force_login(resident)
    for address in ("203.0.113.1", "203.0.113.2"):
        client.post(
            URL,
            {"account_number": "10000001", "postcode": "GH9 9ZZ"},
            REMOTE_ADDR=address,
        )
    response = client.post(
        URL,
        {"account_number": "10000001", "postcode": "GH1 1AA"},
        REMOTE_ADDR="198.51.100.9",
    )
    assert response.status_code == 429
    assert not CouncilTaxLink.objects.exists()


def test_a_second_account_from_the_same_address_shares_the_limit(client, settings):
    """An attacker signing up again from the same place gets no fresh tries."""
    settings.COUNCIL_TAX_LINK_CLIENT_ATTEMPTS = 3
    DemoCouncilTaxAccountFactory(account_number="10000002", postcode="GH1 2BB")
    accounts = [ResidentFactory() for _ in range(4)]
    for user in accounts[:3]:
        client.force_login(user)
        response = client.post(
            URL,
            {"account_number": "10000002", "postcode": "GH9 9ZZ"},
            REMOTE_ADDR="203.0.113.5",
        )
        assert response.status_code == 400
    client.force_login(accounts[3])
    right = {"account_number": "10000002", "postcode": "GH1 2BB"}
    assert client.post(URL, right, REMOTE_ADDR="203.0.113.5").status_code == 429
    assert not CouncilTaxLink.objects.exists()
    # The owner at home, elsewhere, is not locked out.
    assert client.post(URL, right, REMOTE_ADDR="198.51.100.20").status_code == 302


def test_one_council_tax_account_cannot_be_guessed_from_many_accounts_and_places(
    client, bill, settings
):
    settings.COUNCIL_TAX_LINK_REFERENCE_ATTEMPTS = 3
    for n in range(3):
        client.force_login(ResidentFactory())
        client.post(
            URL,
            {"account_number": "10000001", "postcode": f"GH9 {n}ZZ"},
            REMOTE_ADDR=f"203.0.113.{10 + n}",
        )
    client.force_login(ResidentFactory())
    response = client.post(
        URL,
        {"account_number": "10000001", "postcode": "GH1 1AA"},
        REMOTE_ADDR="198.51.100.30",
    )
    assert response.status_code == 429
    assert not CouncilTaxLink.objects.exists()
    # Another account number is a separate count.
    DemoCouncilTaxAccountFactory(account_number="10000004", postcode="GH3 4DD")
    response = client.post(
        URL,
        {"account_number": "10000004", "postcode": "GH3 4DD"},
        REMOTE_ADDR="198.51.100.30",
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"account_number": "", "postcode": "GH1 1AA"},
            "Enter your council tax account number",
        ),
        (
            {"account_number": "12ab", "postcode": "GH1 1AA"},
            "Enter your 8 digit council tax account number",
        ),
        (
            {"account_number": "1" * 13, "postcode": "GH1 1AA"},
            "Account number must be 12 characters or fewer",
        ),
        (
            {"account_number": "10000001", "postcode": "nope"},
            "Enter a full UK postcode",
        ),
    ],
)
def test_link_form_errors(resident_client, data, message):
    response = resident_client.post(URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_unlinking(resident_client, resident, bill):
    link = CouncilTaxLinkFactory(user=resident, account_number="10000001")
    url = f"/account/council-tax/{link.pk}/unlink/"
    assert resident_client.get(url).status_code == 200
    assert resident_client.post(url).status_code == 302
    assert not CouncilTaxLink.objects.exists()
