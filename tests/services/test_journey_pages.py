"""A journey on its own pages (GOV.UK service pattern): the service page keeps the
guidance and a start button; each question has its own title, back link and
"Question N of M"; change links return to check your answers; residents save and
come back later (signed in: My Account; guests: a link by email)."""

import datetime
import re

from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
import time_machine

from services.models import Case, CaseDraft, OutboxEvent
from services.saved_journeys import delete_expired
from tests.myaccount.factories import MyAccountPageFactory
from tests.services.conftest import journey
from tests.services.test_missed_bin_journey import (
    post_step,
    token,
    uprn_for,
    walk_to_check,
)

pytestmark = pytest.mark.django_db

SITE = "Guildhall Borough Council"
SERVICE = "Report a missed bin collection"


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def back_link(html: str) -> str | None:
    found = re.search(r'<a href="([^"]*)" class="govuk-back-link">Back</a>', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_the_service_page_keeps_its_guidance_and_a_start_button(
    client, missed_bin_page
):
    html = client.get(missed_bin_page.url).content.decode()
    assert "Report a bin we did not collect." in html
    assert "govuk-button--start" in html
    assert f'href="{journey(missed_bin_page)}"' in html
    assert 'name="postcode"' not in html  # no question on the service page


def test_each_question_is_its_own_page_with_its_own_title_and_no_guidance(
    client, missed_bin_page
):
    response = client.get(journey(missed_bin_page))
    html = response.content.decode()
    assert title(html) == f"What is the postcode? – {SERVICE} – {SITE}"
    assert "Report a bin we did not collect." not in html
    assert html.count("<h1") == 1
    assert re.search(r"<h1[^>]*>What is the postcode\?</h1>", html)
    assert "Question 1 of 4" in html  # postcode, address, bin, contact


def test_a_step_with_errors_has_error_in_its_title(client, missed_bin_page):
    html = post_step(client, missed_bin_page, "postcode", postcode="").content.decode()
    assert title(html) == f"Error: What is the postcode? – {SERVICE} – {SITE}"
    assert re.search(r'govuk-error-summary__title">There is a problem<', html)


def test_back_links_go_to_the_previous_step_and_first_to_the_service_page(
    client, missed_bin_page
):
    url = journey(missed_bin_page)
    first = client.get(url).content.decode()
    assert back_link(first) == missed_bin_page.url
    post_step(client, missed_bin_page, "postcode", postcode="GU1 4AA")
    second = client.get(url + "?step=address").content.decode()
    assert back_link(second) == f"{url}?step=postcode"
    assert "Question 2 of 4" in second
    walk_to_check(client, missed_bin_page)
    check = client.get(url + "?step=check").content.decode()
    assert title(check) == (
        f"Check your answers before sending your request – {SERVICE} – {SITE}"
    )
    assert back_link(check) == f"{url}?step=contact"


def test_a_change_link_returns_straight_to_check_your_answers(client, missed_bin_page):
    url = journey(missed_bin_page)
    walk_to_check(client, missed_bin_page)
    check = client.get(url + "?step=check").content.decode()
    assert 'href="?step=bin&amp;change=1"' in check
    change = client.get(url + "?step=bin&change=1").content.decode()
    assert back_link(change) == f"{url}?step=check"
    assert 'name="change" value="1"' in change
    assert 'value="recycling" checked' in change  # the answer given before
    response = post_step(client, missed_bin_page, "bin", bin_type="general", change="1")
    assert response.status_code == 302 and response.url == f"{url}?step=check"
    assert "General waste" in client.get(response.url).content.decode()


def test_the_confirmation_has_the_reference_and_what_happens_next(
    client, missed_bin_page
):
    walk_to_check(client, missed_bin_page)
    done = post_step(
        client, missed_bin_page, "check", token=token(client, missed_bin_page)
    )
    html = client.get(done.url).content.decode()
    reference = Case.objects.get().reference
    assert re.search(r'<div class="govuk-panel govuk-panel--confirmation">\s*<h1', html)
    assert reference in html and "What happens next" in html
    assert back_link(html) is None
    assert title(html).endswith(f"– {SERVICE} – {SITE}")


def test_journey_pages_are_never_stored_by_a_cache(client, missed_bin_page):
    first = client.get(journey(missed_bin_page))
    assert "no-store" in first["Cache-Control"] and "private" in first["Cache-Control"]
    posted = post_step(client, missed_bin_page, "postcode", postcode="GU1 4AA")
    assert "no-store" in posted["Cache-Control"]


def test_an_unknown_transaction_on_a_page_is_not_found(client, missed_bin_page):
    assert client.get(missed_bin_page.url + "start/no-such-block/").status_code == 404


# -- save and come back later: signed-in residents ---------------------------------


@pytest.fixture
def my_account(home_page):
    return MyAccountPageFactory(parent=home_page)


def test_a_residents_unfinished_request_is_in_my_account_with_a_continue_link(
    client, missed_bin_page, resident, other_resident, my_account
):
    client.force_login(resident)
    assert (
        "Requests you have not sent yet"
        not in client.get(my_account.url).content.decode()
    )
    post_step(client, missed_bin_page, "postcode", postcode="GU1 4AA")
    html = client.get(my_account.url).content.decode()
    assert "Requests you have not sent yet" in html
    link = re.search(r'<a class="govuk-link" href="([^"]+)">Continue', html).group(1)
    assert link.startswith(missed_bin_page.url + "start/")
    assert "Select the address" in client.get(link).content.decode()

    client.force_login(other_resident)  # the same link: their own, empty journey
    assert (
        "Requests you have not sent yet"
        not in client.get(my_account.url).content.decode()
    )
    assert "What is the postcode?" in client.get(link).content.decode()


def test_each_unfinished_journey_is_one_row_however_many_steps(
    client, missed_bin_page, resident
):
    client.force_login(resident)
    post_step(client, missed_bin_page, "postcode", postcode="GU1 4AA")
    post_step(
        client, missed_bin_page, "address", uprn=uprn_for(client, missed_bin_page, 1)
    )
    assert CaseDraft.objects.count() == 1
    post_step(client, missed_bin_page, "postcode", postcode="GU1 4AB")
    assert CaseDraft.objects.count() == 1


def test_a_step_costs_the_same_queries_with_ten_thousand_journeys_in_progress(
    client, missed_bin_page, resident, django_user_model
):
    client.force_login(resident)
    post_step(client, missed_bin_page, "postcode", postcode="GU1 4AA")
    url = journey(missed_bin_page) + "?step=address"
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    CaseDraft.objects.bulk_create(
        CaseDraft(journey_key=f"{n}:block", state={"answers": {"a": {}}}, email="")
        for n in range(10_000)
    )
    assert count() == few


def test_my_account_lists_saved_journeys_in_constant_queries(
    client, missed_bin_page, resident, my_account
):
    client.force_login(resident)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(my_account.url).status_code == 200
        return len(queries)

    key = f"{missed_bin_page.pk}:"
    CaseDraft.objects.create(
        user=resident, journey_key=key + "a", state={"answers": {"x": 1}}
    )
    client.get(my_account.url)
    one = count()
    CaseDraft.objects.bulk_create(
        CaseDraft(user=resident, journey_key=f"{key}{n}", state={"answers": {"x": 1}})
        for n in range(10)
    )
    assert count() == one


# -- save and come back later: guests ------------------------------------------------


def save_for_later(client, page, email="sam@example.com"):
    response = post_step(client, page, "save", email=email)
    assert response.status_code == 302 and response.url.endswith("?step=saved")
    return response


def resume_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/journeys/resume/\S+/)", message.body).group(1)


def test_a_guest_saves_and_comes_back_on_another_device_with_the_emailed_link(
    client, missed_bin_page, django_capture_on_commit_callbacks
):
    post_step(client, missed_bin_page, "postcode", postcode="GU1 4AA")
    asked = client.get(journey(missed_bin_page) + "?step=save").content.decode()
    assert title(asked).startswith("Save your answers and come back later – ")
    with django_capture_on_commit_callbacks(execute=True):
        saved = save_for_later(client, missed_bin_page)
    assert "sam@example.com" in client.get(saved.url).content.decode()
    assert len(mail.outbox) == 1
    link = resume_link(mail.outbox[0])
    token_part = link.rstrip("/").rsplit("/", 1)[1]
    draft = CaseDraft.objects.get(user=None)
    assert token_part not in str(draft.resume_token_hash)  # only its hash is kept
    assert OutboxEvent.objects.get().payload == {}  # the sent link is not kept

    other_device = Client()
    page = other_device.get(link)
    assert page.status_code == 200 and SERVICE in page.content.decode()
    assert CaseDraft.objects.filter(user=None).count() == 1  # a GET uses nothing
    resumed = other_device.post(link)
    assert resumed.status_code == 302
    assert resumed.url == journey(missed_bin_page)
    assert "Select the address" in other_device.get(resumed.url).content.decode()
    assert not CaseDraft.objects.filter(user=None).exists()

    used = Client().post(link)  # a link works once
    assert used.status_code == 404
    assert "expired or has already been used" in used.content.decode()


def test_saving_twice_keeps_one_row_and_only_the_newest_link_works(
    client, missed_bin_page, django_capture_on_commit_callbacks
):
    post_step(client, missed_bin_page, "postcode", postcode="GU1 4AA")
    with django_capture_on_commit_callbacks(execute=True):
        save_for_later(client, missed_bin_page)
        save_for_later(client, missed_bin_page, email="new@example.com")
    assert CaseDraft.objects.filter(user=None).count() == 1
    first, second = (resume_link(m) for m in mail.outbox)
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200


def test_a_resume_link_expires(
    client, missed_bin_page, django_capture_on_commit_callbacks, settings
):
    post_step(client, missed_bin_page, "postcode", postcode="GU1 4AA")
    with django_capture_on_commit_callbacks(execute=True):
        save_for_later(client, missed_bin_page)
    link = resume_link(mail.outbox[0])
    days = settings.JOURNEY_RESUME_DAYS
    with time_machine.travel(timezone.now() + datetime.timedelta(days=days - 1)):
        assert Client().get(link).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=days, minutes=1)):
        assert Client().get(link).status_code == 404
        assert Client().post(link).status_code == 404
        assert delete_expired() == 1
    assert not CaseDraft.objects.exists()


def test_a_made_up_or_altered_link_opens_nothing(
    client, missed_bin_page, django_capture_on_commit_callbacks
):
    post_step(client, missed_bin_page, "postcode", postcode="GU1 4AA")
    with django_capture_on_commit_callbacks(execute=True):
        save_for_later(client, missed_bin_page)
    link = resume_link(mail.outbox[0])
    altered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    assert Client().post(altered).status_code == 404
    assert Client().post("/journeys/resume/guess/").status_code == 404
    assert CaseDraft.objects.filter(user=None).count() == 1


def test_a_signed_in_resident_opening_a_guest_link_takes_the_answers_into_their_account(
    client, missed_bin_page, django_capture_on_commit_callbacks, resident
):
    walk_to_check(client, missed_bin_page)
    with django_capture_on_commit_callbacks(execute=True):
        save_for_later(client, missed_bin_page)
    link = resume_link(mail.outbox[0])
    signed_in = Client()
    signed_in.force_login(resident)
    signed_in.post(link)
    draft = CaseDraft.objects.get()
    assert draft.user == resident
    assert "contact" not in draft.state["answers"]  # their account answers that
    assert (
        "Check your answers" in signed_in.get(journey(missed_bin_page)).content.decode()
    )


def test_a_finished_request_deletes_the_guests_saved_answers(
    client, missed_bin_page, django_capture_on_commit_callbacks
):
    walk_to_check(client, missed_bin_page)
    with django_capture_on_commit_callbacks(execute=True):
        save_for_later(client, missed_bin_page)
    post_step(client, missed_bin_page, "check", token=token(client, missed_bin_page))
    assert Case.objects.count() == 1
    assert not CaseDraft.objects.exists()


def test_signed_in_residents_are_not_offered_an_emailed_link(
    client, missed_bin_page, resident
):
    client.force_login(resident)
    html = client.get(journey(missed_bin_page)).content.decode()
    assert "?step=save" not in html and "We save your answers as you go" in html
    response = post_step(client, missed_bin_page, "save", email="x@example.com")
    assert response.status_code == 302 and not CaseDraft.objects.filter(user=None)


def test_a_second_transaction_on_a_page_runs_at_its_own_address(
    client, missed_bin_page, street_service
):
    missed_bin_page.body.append(
        ("street_problem", {"service": street_service, "heading": ""})
    )
    missed_bin_page.save_revision().publish()
    missed_bin_page.refresh_from_db()
    first, second = (c.id for c in missed_bin_page.transaction_blocks())
    assert journey(missed_bin_page) == missed_bin_page.url + "start/"
    street = journey(missed_bin_page, "street_problem")
    assert street == f"{missed_bin_page.url}start/{second}/"
    service_page = client.get(missed_bin_page.url).content.decode()
    assert f'href="{street}"' in service_page
    html = client.get(street).content.decode()
    assert "What is the problem?" in html
    assert client.get(missed_bin_page.url + f"start/{first}/").status_code == 200
    assert client.get(missed_bin_page.url + "start/a/b/").status_code == 404


def test_erasing_an_account_erases_answers_saved_as_a_guest_with_its_address(
    client, missed_bin_page, django_capture_on_commit_callbacks, resident
):
    from myaccount.sources_cases import erase_cases

    post_step(client, missed_bin_page, "postcode", postcode="GU1 4AA")
    with django_capture_on_commit_callbacks(execute=True):
        save_for_later(client, missed_bin_page, email="RESIDENT@example.com")
        other = Client()
        post_step(other, missed_bin_page, "postcode", postcode="GU1 4AA")
        save_for_later(other, missed_bin_page, email="someone@example.com")
    erase_cases(resident)
    assert list(CaseDraft.objects.values_list("email", flat=True)) == [
        "someone@example.com"
    ]
