"""Asked once when a case is closed: by email, on My Account, on track-a-request."""

from django.core import mail
from django.urls import reverse

import pytest

from services import actions
from services.models import CaseEvent, CaseSatisfaction

pytestmark = pytest.mark.django_db
QUESTION = "Were you satisfied with how we dealt with this?"


def close(case, actor, capture):
    with capture(execute=True):
        actions.change_status(case=case, to_status="in_progress", actor=actor)
        actions.change_status(case=case, to_status="resolved", actor=actor)
        actions.change_status(case=case, to_status="closed", actor=actor)


@pytest.fixture
def resident_case(bin_service, resident):
    return actions.open_case(service=bin_service, answers={}, resident=resident)


@pytest.fixture
def guest_case(bin_service):
    return actions.open_case(
        service=bin_service, answers={}, guest_email="guest@example.com"
    )


def test_the_closing_email_asks_once(
    resident_case, waste_officer, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    close(resident_case, waste_officer, django_capture_on_commit_callbacks)
    asking = [m for m in mail.outbox if QUESTION in m.body]
    # In progress, resolved, closed: only the change that closed it asks.
    assert len(mail.outbox) == 3 and len(asking) == 1
    assert "Resolved" in asking[0].body
    assert (
        f"/account/requests/{resident_case.reference}/#satisfaction" in asking[0].body
    )


def test_a_guest_is_sent_to_track_a_request(
    guest_case, waste_officer, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    close(guest_case, waste_officer, django_capture_on_commit_callbacks)
    [asking] = [m for m in mail.outbox if QUESTION in m.body]
    assert "/track-a-request/" in asking.body and asking.to == ["guest@example.com"]


def test_resident_answers_once_on_my_account_and_staff_see_it(
    client, resident_case, resident, waste_officer, django_capture_on_commit_callbacks
):
    page = reverse("services:my_case_detail", args=[resident_case.reference])
    answer = reverse("services:my_case_satisfaction", args=[resident_case.reference])
    client.force_login(resident)
    assert QUESTION not in client.get(page).content.decode()  # still open
    assert client.post(answer, {"answer": "yes"}).status_code == 302
    assert not CaseSatisfaction.objects.exists()  # an open case is not asked
    close(resident_case, waste_officer, django_capture_on_commit_callbacks)

    html = client.get(page).content.decode()
    assert QUESTION in html
    empty = client.post(answer, {"answer": ""})
    assert empty.status_code == 400
    assert "Select yes if you were satisfied" in empty.content.decode()
    assert "govuk-error-summary" in empty.content.decode()
    assert "<title>Error: " in empty.content.decode()

    response = client.post(answer, {"answer": "no", "comment": "Took a week."})
    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    assert "Thank you for telling us" in html
    assert "You told us you were not satisfied" in html
    assert QUESTION not in html

    again = client.post(answer, {"answer": "yes"})
    assert again.status_code == 200
    assert "already told us" in again.content.decode()
    satisfaction = CaseSatisfaction.objects.get()
    assert (satisfaction.answer, satisfaction.comment) == ("no", "Took a week.")

    client.force_login(waste_officer)
    admin = client.get(
        reverse("services_cases:detail", args=[resident_case.pk])
    ).content.decode()
    assert "Satisfaction answer" in admin and "Took a week." in admin
    event = CaseEvent.objects.get(case=resident_case, kind="satisfaction")
    assert event.actor == resident and not event.public


def test_another_resident_cannot_answer(
    client,
    resident_case,
    other_resident,
    waste_officer,
    django_capture_on_commit_callbacks,
):
    close(resident_case, waste_officer, django_capture_on_commit_callbacks)
    client.force_login(other_resident)
    url = reverse("services:my_case_satisfaction", args=[resident_case.reference])
    assert client.post(url, {"answer": "no"}).status_code == 404
    assert not CaseSatisfaction.objects.exists()


def test_guest_answers_from_track_a_request(
    client, guest_case, waste_officer, django_capture_on_commit_callbacks
):
    close(guest_case, waste_officer, django_capture_on_commit_callbacks)
    tracked = client.post(
        reverse("services:track"),
        {"reference": guest_case.reference, "email": "GUEST@example.com"},
    ).content.decode()
    assert QUESTION in tracked
    assert reverse("services:track_satisfaction") in tracked
    url = reverse("services:track_satisfaction")
    wrong = client.post(
        url,
        {"reference": guest_case.reference, "email": "x@example.com", "answer": "yes"},
    )
    assert "could not find a request" in wrong.content.decode()
    assert not CaseSatisfaction.objects.exists()
    ok = client.post(
        url,
        {
            "reference": guest_case.reference,
            "email": "guest@example.com",
            "answer": "yes",
        },
    )
    assert ok.status_code == 200
    assert "Thank you for telling us" in ok.content.decode()
    again = client.post(
        url,
        {
            "reference": guest_case.reference,
            "email": "guest@example.com",
            "answer": "no",
        },
    )
    assert "already told us" in again.content.decode()
    assert CaseSatisfaction.objects.get().answer == "yes"


def test_a_closed_case_reopened_and_closed_again_does_not_ask_twice_once_answered(
    resident_case, resident, waste_officer, django_capture_on_commit_callbacks
):
    close(resident_case, waste_officer, django_capture_on_commit_callbacks)
    resident_case.refresh_from_db()
    actions.record_satisfaction(case=resident_case, answer="yes", actor=resident)
    with pytest.raises(actions.AlreadyAnswered):
        actions.record_satisfaction(case=resident_case, answer="no", actor=resident)
    event = CaseEvent.objects.filter(kind="status_changed", to_status="resolved").get()
    assert not event.asks_satisfaction
