"""A resident's own requests, and guest tracking by reference and email."""

import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

import pytest
import time_machine

from services import actions

pytestmark = pytest.mark.django_db


def test_resident_sees_their_cases_with_public_updates_only(
    client, bin_service, resident, waste_officer
):
    case = actions.open_case(service=bin_service, answers={}, resident=resident)
    actions.add_note(case=case, actor=waste_officer, text="Secret staff note")
    actions.add_note(
        case=case, actor=waste_officer, text="Crew returns Friday", public=True
    )
    actions.change_status(case=case, to_status="in_progress", actor=waste_officer)
    client.force_login(resident)
    listing = client.get(reverse("services:my_cases"))
    assert case.reference in listing.content.decode()
    assert (
        "private" in listing["Cache-Control"] or "no-cache" in listing["Cache-Control"]
    )
    html = client.get(
        reverse("services:my_case_detail", args=[case.reference])
    ).content.decode()
    assert "Crew returns Friday" in html and "In progress" in html
    assert "Secret staff note" not in html


def test_resident_cannot_see_another_residents_case(
    client, bin_service, resident, other_resident
):
    theirs = actions.open_case(service=bin_service, answers={}, resident=other_resident)
    client.force_login(resident)
    assert (
        theirs.reference
        not in client.get(reverse("services:my_cases")).content.decode()
    )
    response = client.get(reverse("services:my_case_detail", args=[theirs.reference]))
    assert response.status_code == 404


def test_my_requests_needs_sign_in(client):
    response = client.get(reverse("services:my_cases"))
    assert response.status_code == 302 and "login" in response.url


def test_guest_tracks_a_case_with_reference_and_email(
    client, bin_service, waste_officer
):
    case = actions.open_case(
        service=bin_service, answers={}, guest_email="Guest@Example.com"
    )
    actions.add_note(case=case, actor=waste_officer, text="On our list", public=True)
    response = client.post(
        reverse("services:track"),
        {"reference": case.reference.lower(), "email": "guest@example.com"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert case.reference in html and "On our list" in html


def test_tracking_gives_the_same_answer_for_wrong_email_and_unknown_reference(
    client, bin_service
):
    case = actions.open_case(
        service=bin_service, answers={}, guest_email="g@example.com"
    )
    wrong_email = client.post(
        reverse("services:track"),
        {"reference": case.reference, "email": "x@example.com"},
    ).content.decode()
    unknown = client.post(
        reverse("services:track"),
        {"reference": "BIN-2026-999999", "email": "x@example.com"},
    ).content.decode()
    message = "We could not find a request with that reference number and email address"
    assert message in wrong_email and message in unknown
    assert case.reference not in wrong_email.replace(f'value="{case.reference}"', "")


def test_tracking_is_rate_limited(client, bin_service, settings):
    settings.CASE_TRACK_RATE_LIMIT = 3
    url = reverse("services:track")
    codes = [
        client.post(
            url, {"reference": "BIN-2026-000001", "email": "a@example.com"}
        ).status_code
        for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]


def test_tracking_form_validates_on_the_server(client):
    html = client.post(
        reverse("services:track"), {"reference": "", "email": "nope"}
    ).content.decode()
    assert "govuk-error-summary" in html
    assert "Enter your reference number" in html
    assert "Enter an email address in the correct format" in html


def test_my_requests_query_count_does_not_grow_with_cases(
    client, bin_service, resident
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n):
        for _ in range(n):
            actions.open_case(service=bin_service, answers={}, resident=resident)

    client.force_login(resident)
    add(3)
    client.get(reverse("services:my_cases"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("services:my_cases"))
    add(30)
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("services:my_cases")).content.decode()
    assert len(few) == len(many)
    assert "govuk-pagination" in html


def test_a_residents_request_shows_when_it_was_sent_in_govuk_style(
    client, bin_service, resident
):
    with time_machine.travel(
        datetime.datetime(2026, 12, 6, 14, 32, tzinfo=ZoneInfo("Europe/London")),
        tick=False,
    ):
        case = actions.open_case(service=bin_service, answers={}, resident=resident)
    client.force_login(resident)
    html = client.get(
        reverse("services:my_case_detail", args=[case.reference])
    ).content.decode()
    assert "6 December 2026 at 2:32pm" in html
    assert "p.m." not in html and "a.m." not in html
