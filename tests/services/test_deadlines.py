"""Complaints and FOI/EIR requests run to their statutory deadlines in working days
(England and Wales bank holidays), with escalation, clock stops and the response
sent from the case."""

import datetime

from django.contrib.auth.models import Group
from django.urls import reverse

import pytest
import time_machine

from services import actions, deadlines
from services.deadlines import add_working_days
from services.enums import CaseEventKind, CaseStatus, OutboxTopic
from services.models import OutboxEvent, ServiceDefinition
from tests.myaccount.factories import with_two_factor

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        # Christmas 2026: 25 Dec, 28 Dec (Boxing Day substitute), 1 Jan skipped.
        (D(2026, 12, 23), 20, D(2027, 1, 25)),
        # Easter 2026: Good Friday 3 April and Easter Monday 6 April skipped.
        (D(2026, 4, 1), 20, D(2026, 5, 1)),
        # Received on a Saturday: Monday is day 1.
        (D(2026, 6, 6), 1, D(2026, 6, 8)),
        (D(2026, 12, 23), 10, D(2027, 1, 11)),
    ],
)
def test_working_days_skip_weekends_and_bank_holidays(received, days, due):
    assert add_working_days(received, days) == due


@pytest.fixture
def team(db):
    return Group.objects.create(name="Information governance team")


@pytest.fixture
def foi_service(team):
    return ServiceDefinition.objects.create(
        name="Freedom of information request",
        reference_prefix="FOI",
        case_type="FOI or EIR request",
        team=team,
        sla_days=5,
        guest_allowed=True,
        deadline_rule="foi",
    )


@pytest.fixture
def complaint_service(team):
    return ServiceDefinition.objects.create(
        name="Complaint",
        reference_prefix="CMP",
        case_type="Complaint",
        team=team,
        guest_allowed=True,
        deadline_rule="complaint",
    )


@pytest.fixture
def officer(django_user_model, team):
    user = django_user_model.objects.create_user("ig", "ig@example.com", "pw-ig-12345")
    user.groups.add(team, Group.objects.get(name="Editors"))
    with_two_factor(user)
    return user


def open_request(service, when):
    with time_machine.travel(when, tick=False):
        return actions.open_case(
            service=service,
            answers={"What information do you want?": "Pothole repair costs"},
            resident=None,
            guest_email="requester@example.com",
        )


def told(case) -> list[str]:
    """What the requester was sent, oldest first."""
    return [
        row.event.text
        for row in OutboxEvent.objects.filter(
            case=case, topic=OutboxTopic.PUBLIC_UPDATE
        ).order_by("pk")
    ]


def test_foi_is_due_in_20_working_days_and_the_clock_stops_for_clarification(
    foi_service, officer
):
    case = open_request(foi_service, "2026-12-23 10:00")
    assert case.due_date == D(2027, 1, 25)  # not the service's 5-day SLA

    with time_machine.travel("2027-01-05 10:00", tick=False):
        deadlines.ask_for_clarification(
            case=case, actor=officer, question="Which years do you mean?"
        )
    case.refresh_from_db()
    assert case.due_date is None and case.clock_stopped_on == D(2027, 1, 5)
    assert case.status == CaseStatus.AWAITING_INFO
    assert not case.is_overdue

    with time_machine.travel("2027-01-11 10:00", tick=False):
        deadlines.record_clarification(case=case, actor=officer, reply="2025 and 2026")
    case.refresh_from_db()
    # 20 working days again from the day the reply arrived.
    assert case.due_date == D(2027, 2, 8) and case.clock_stopped_on is None
    assert case.status == CaseStatus.IN_PROGRESS
    assert case.events.filter(
        kind=CaseEventKind.INTERNAL_NOTE, text__contains="2025 and 2026"
    ).exists()

    deadlines.send_response(
        case=case, actor=officer, response="The costs are attached: £1.2m."
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED and case.closed_at
    sent = told(case)
    assert "Which years do you mean?" in sent[0]
    assert "8 February 2027" in sent[1]
    assert sent[2] == "The costs are attached: £1.2m."


def test_complaint_stage_1_then_escalated_to_stage_2_with_a_new_deadline(
    complaint_service, officer
):
    case = open_request(complaint_service, "2026-12-23 10:00")
    assert (case.stage, case.due_date) == (1, D(2027, 1, 11))
    deadlines.send_response(case=case, actor=officer, response="We are sorry.")

    with time_machine.travel("2027-01-20 10:00", tick=False):
        deadlines.escalate_complaint(
            case=case, actor=officer, reason="The resident is not satisfied."
        )
    case.refresh_from_db()
    assert case.stage == 2 and case.status == CaseStatus.IN_PROGRESS
    assert case.due_date == D(2027, 2, 17)
    assert case.closed_at is None
    assert "reply by 17 February 2027" in told(case)[-1]
    # Stage 2 is the last stage: no second escalation.
    with pytest.raises(deadlines.DeadlineActionRefused):
        deadlines.escalate_complaint(case=case, actor=officer)


def test_clarification_applies_only_to_information_requests(complaint_service, officer):
    case = open_request(complaint_service, "2026-12-23 10:00")
    with pytest.raises(deadlines.DeadlineActionRefused):
        deadlines.ask_for_clarification(case=case, actor=officer, question="What?")


def test_staff_escalate_and_respond_from_the_case_page(
    client, complaint_service, officer
):
    case = open_request(complaint_service, "2026-12-23 10:00")
    client.force_login(officer)
    url = reverse("services_cases:detail", args=[case.pk])
    html = client.get(url).content.decode()
    assert "Complaint stage</dt><dd>Stage 1" in html
    assert "Escalate to stage 2" in html and "Send the response" in html

    empty = client.post(url, {"action": "respond", "respond-text": ""})
    assert empty.status_code == 200
    assert "Write the response" in empty.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED

    done = client.post(url, {"action": "escalate", "escalate-text": "Unhappy"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.stage == 2
    html = client.get(url).content.decode()
    assert "Complaint stage</dt><dd>Stage 2" in html
    assert '<h2 class="w-h2">Escalate to stage 2</h2>' not in html


def test_foi_case_page_offers_clarification_then_the_reply(
    client, foi_service, officer
):
    case = open_request(foi_service, "2026-12-23 10:00")
    client.force_login(officer)
    url = reverse("services_cases:detail", args=[case.pk])
    client.post(url, {"action": "clarify", "clarify-text": "Which years?"})
    html = client.get(url).content.decode()
    assert "Clock stopped on" in html and "Record the requester" in html
    # The reply form only appears once the clock has stopped; the question form
    # is gone (a forged post is refused).
    refused = client.post(url, {"action": "clarify", "clarify-text": "Again?"})
    assert (refused.status_code, refused.url) == (302, "/admin/")
