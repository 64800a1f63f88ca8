"""The missed-bin journey end to end through the test client (local waste provider:
every round is finished except at house number 5)."""

import re

from django.core import mail

import pytest

from myaccount.models import Profile
from services.blocks.transactions import STEP_FIELD, TRANSACTION_FIELD
from services.models import Case, CaseDraft
from tests.services.conftest import block_id, journey

pytestmark = pytest.mark.django_db


def post_step(client, page, step, **data):
    payload = {TRANSACTION_FIELD: block_id(page), STEP_FIELD: step, **data}
    return client.post(journey(page), payload)


def uprn_for(client, page, house: int) -> str:
    html = client.get(journey(page) + "?step=address").content.decode()
    return re.findall(r'name="uprn" type="radio" value="(\d+)"', html)[house - 1]


def token(client, page) -> str:
    html = client.get(journey(page) + "?step=check").content.decode()
    return re.search(r'name="token" value="([0-9a-f-]+)"', html).group(1)


def walk_to_check(client, page, *, house=1, guest=True):
    assert post_step(client, page, "postcode", postcode="gu1 4aa").status_code == 302
    assert (
        post_step(
            client, page, "address", uprn=uprn_for(client, page, house)
        ).status_code
        == 302
    )
    response = post_step(client, page, "bin", bin_type="recycling")
    if guest and response.url.endswith("step=contact"):
        response = post_step(
            client, page, "contact", email="guest@example.com", name="Sam"
        )
    return response


def test_guest_reports_a_missed_bin_and_gets_the_reference_by_email(
    client, missed_bin_page, django_capture_on_commit_callbacks
):
    first = client.get(missed_bin_page.url)
    assert first.status_code == 200
    assert "Start now" in first.content.decode()
    assert journey(missed_bin_page) in first.content.decode()  # the start button
    step_one = client.get(journey(missed_bin_page))
    assert "What is the postcode?" in step_one.content.decode()
    assert "private" in step_one["Cache-Control"]
    response = walk_to_check(client, missed_bin_page)
    assert response.url.endswith("?step=check")
    check = client.get(journey(missed_bin_page) + "?step=check").content.decode()
    assert "Check your answers" in check
    assert "1 Guildhall Road, Guildford, GU1 4AA" in check
    assert "Recycling (blue bin)" in check
    assert "?step=bin&amp;change=1" in check
    with django_capture_on_commit_callbacks(execute=True):
        done = post_step(
            client, missed_bin_page, "check", token=token(client, missed_bin_page)
        )
    assert done.url.endswith("?step=done")
    case = Case.objects.get()
    assert case.guest_email == "guest@example.com" and case.resident is None
    assert case.team.name == "Waste team"
    assert case.answers["bin_type"] == "recycling"
    confirmation = client.get(done.url).content.decode()
    assert "govuk-panel--confirmation" in confirmation
    assert case.reference in confirmation
    assert len(mail.outbox) == 1 and case.reference in mail.outbox[0].body
    assert "track-a-request" in mail.outbox[0].body


def test_round_not_finished_says_so_and_creates_no_case(client, missed_bin_page):
    response = walk_to_check(client, missed_bin_page, house=5)
    assert response.url.endswith("?step=stopped")
    page = client.get(response.url).content.decode()
    assert "not finished the round" in page
    assert Case.objects.count() == 0


def test_errors_are_shown_in_a_summary_and_keep_what_was_typed(client, missed_bin_page):
    response = post_step(client, missed_bin_page, "postcode", postcode="ABC 123")
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Enter a real postcode" in html
    assert 'value="ABC 123"' in html
    assert "<title>Error: " in html
    empty = post_step(client, missed_bin_page, "postcode", postcode="")
    assert "Enter a postcode" in empty.content.decode()


@pytest.mark.parametrize(
    "step,data",
    [
        ("address", {"uprn": "999"}),
        ("bin", {"bin_type": "<script>"}),
        ("contact", {"email": "not-an-email"}),
    ],
)
def test_tampered_or_bad_answers_get_a_govuk_error_never_a_500(
    client, missed_bin_page, step, data
):
    post_step(client, missed_bin_page, "postcode", postcode="GU1 4AA")
    if step != "address":
        post_step(
            client,
            missed_bin_page,
            "address",
            uprn=uprn_for(client, missed_bin_page, 1),
        )
    if step == "contact":
        post_step(client, missed_bin_page, "bin", bin_type="general")
    response = post_step(client, missed_bin_page, step, **data)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_forged_block_id_or_step_name_is_redirected_not_an_error(
    client, missed_bin_page
):
    forged = client.post(
        missed_bin_page.url, {TRANSACTION_FIELD: "not-a-block", STEP_FIELD: "postcode"}
    )
    assert forged.status_code == 302
    bad_step = post_step(client, missed_bin_page, "delete-everything")
    assert bad_step.status_code == 302 and bad_step.url.endswith("?step=postcode")


def test_skipping_ahead_shows_the_first_unanswered_step(client, missed_bin_page):
    html = client.get(journey(missed_bin_page) + "?step=check").content.decode()
    assert "What is the postcode?" in html
    early = post_step(client, missed_bin_page, "check", token="0" * 32)
    assert early.status_code == 302 and early.url.endswith("?step=postcode")
    assert Case.objects.count() == 0


def test_a_step_posted_before_the_steps_it_needs_goes_to_the_first_unanswered(
    client, missed_bin_page
):
    # "Which bin" before any address: redirected like a GET would be, not a 500.
    early = post_step(client, missed_bin_page, "bin", bin_type="recycling")
    assert early.status_code == 302 and early.url.endswith("?step=postcode")
    # Back after submitting, then the last step sent again: the journey starts over.
    walk_to_check(client, missed_bin_page)
    post_step(client, missed_bin_page, "check", token=token(client, missed_bin_page))
    again = post_step(client, missed_bin_page, "bin", bin_type="recycling")
    assert again.status_code == 302 and again.url.endswith("?step=postcode")
    assert Case.objects.count() == 1


def test_a_stale_or_tampered_token_asks_to_send_again_and_creates_nothing(
    client, missed_bin_page
):
    walk_to_check(client, missed_bin_page)
    for forged in ("0" * 32, "not-a-uuid"):
        response = post_step(client, missed_bin_page, "check", token=forged)
        html = response.content.decode()
        assert response.status_code == 200
        assert "This form was out of date" in html
        assert "Check your answers" in html
    assert Case.objects.count() == 0
    resend = post_step(
        client, missed_bin_page, "check", token=token(client, missed_bin_page)
    )
    assert resend.url.endswith("?step=done") and Case.objects.count() == 1


def test_double_submit_and_back_resubmit_create_exactly_one_case(
    client, missed_bin_page
):
    walk_to_check(client, missed_bin_page)
    value = token(client, missed_bin_page)
    first = post_step(client, missed_bin_page, "check", token=value)
    again = post_step(client, missed_bin_page, "check", token=value)
    assert first.url == again.url and again.url.endswith("?step=done")
    assert Case.objects.count() == 1


def test_signed_in_resident_can_leave_and_come_back(client, missed_bin_page, resident):
    client.force_login(resident)
    html = client.get(journey(missed_bin_page)).content.decode()
    assert "What is the postcode?" in html
    post_step(client, missed_bin_page, "postcode", postcode="GU1 4AA")
    client.logout()
    client.force_login(resident)
    html = client.get(journey(missed_bin_page)).content.decode()
    assert "Select the address" in html
    assert CaseDraft.objects.filter(user=resident).count() == 1
    post_step(
        client, missed_bin_page, "address", uprn=uprn_for(client, missed_bin_page, 1)
    )
    response = post_step(client, missed_bin_page, "bin", bin_type="general")
    assert response.url.endswith("?step=check")  # no contact step when signed in
    post_step(client, missed_bin_page, "check", token=token(client, missed_bin_page))
    case = Case.objects.get()
    assert case.resident == resident and case.guest_email == ""
    assert CaseDraft.objects.count() == 0


def test_address_is_prefilled_from_the_residents_account(
    client, missed_bin_page, resident
):
    Profile.objects.create(
        user=resident,
        address_line_1="9 Castle Street",
        town="Guildford",
        postcode="GU1 3UW",
        uprn="100061234567",
    )
    client.force_login(resident)
    html = client.get(journey(missed_bin_page)).content.decode()
    assert "Which bin was not collected?" in html
    check = post_step(client, missed_bin_page, "bin", bin_type="general")
    assert check.url.endswith("?step=check")
    html = client.get(check.url).content.decode()
    assert "9 Castle Street, Guildford, GU1 3UW" in html
    assert "We filled in some answers from your account" in html


def test_service_without_guest_access_asks_guests_to_sign_in(
    client, missed_bin_page, bin_service
):
    bin_service.guest_allowed = False
    bin_service.save()
    html = client.get(missed_bin_page.url).content.decode()
    assert "You need to sign in" in html
    response = post_step(client, missed_bin_page, "postcode", postcode="GU1 4AA")
    assert response.status_code == 302 and Case.objects.count() == 0
    # The journey's own pages send a guest to sign in, and back afterwards.
    start = client.get(journey(missed_bin_page))
    assert start.status_code == 302 and start.url.startswith("/account/login/")
    assert "next=" in start.url and "start" in start.url


def test_anonymous_page_without_a_transaction_stays_publicly_cacheable(client, council):
    response = client.get(council["service"].url)
    assert "public" in response["Cache-Control"]


def test_the_service_page_stays_cacheable_until_the_guest_starts(
    client, missed_bin_page, settings
):
    """A visitor reading the page starts no session and gets no cookie, so the page
    (with its start button) is served from the page cache; the journey itself is
    private from the first question."""
    first = client.get(missed_bin_page.url)
    assert not first.cookies and not first.has_header("Vary")
    assert "public" in first["Cache-Control"]
    assert f'href="{journey(missed_bin_page)}"' in first.content.decode()
    again = client.get(missed_bin_page.url)
    assert again["X-Page-Cache"] == "hit"
    started = client.get(journey(missed_bin_page))
    assert (
        settings.SESSION_COOKIE_NAME in started.cookies
        or "csrftoken" in started.cookies
    )
    assert "private" in started["Cache-Control"]
    assert "What is the postcode?" in started.content.decode()


def test_a_sign_in_only_service_asks_a_new_visitor_to_sign_in_without_a_session(
    client, missed_bin_page, bin_service, django_capture_on_commit_callbacks
):
    assert "Start now" in client.get(missed_bin_page.url).content.decode()
    bin_service.guest_allowed = False
    with django_capture_on_commit_callbacks(execute=True):
        bin_service.save()  # purges the cached page
    response = client.get(missed_bin_page.url)
    html = response.content.decode()
    assert "You need to sign in to use this service." in html
    assert not response.cookies and "public" in response["Cache-Control"]
