"""Statutory deadlines: the complaints procedure and FOI/EIR requests.

A service's ``deadline_rule`` (``services.enums.DeadlineRule``) decides how its
cases are timed:

- the SLA (default): ``sla_days`` calendar days;
- a complaint: stage 1 answered within 10 working days; staff escalate a complaint
  the resident is unhappy with to stage 2, answered within 20 working days of the
  escalation;
- an FOI or EIR request: answered within 20 working days (Freedom of Information
  Act s.10, EIR reg. 5(2)). When staff ask the requester to clarify, the clock
  stops (no due date) and starts again, 20 working days from the day the reply
  arrives (s.1(3)).

Working days skip weekends and England and Wales bank holidays, read from
``data/bank-holidays-england-and-wales.json`` in the format GOV.UK publishes at
https://www.gov.uk/bank-holidays.json (refresh it from there each year; the
``services.W001`` check warns when it no longer covers the next 12 months).

Each change here is an action like those in ``services.actions``: keyword-only,
one transaction, a timeline entry, and the requester told through the outbox.
"""

from __future__ import annotations

import datetime
import json
from functools import cache
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from services.enums import CaseEventKind, CaseStatus, DeadlineRule, OutboxTopic

BANK_HOLIDAYS_FILE = (
    Path(__file__).parent / "data" / "bank-holidays-england-and-wales.json"
)
DIVISION = "england-and-wales"
COMPLAINT_STAGE_DAYS = {1: 10, 2: 20}
FOI_DAYS = 20


class DeadlineActionRefused(Exception):
    """The change does not apply to this case as it stands."""


# -- the calendar -------------------------------------------------------------------


@cache
def bank_holidays() -> frozenset[datetime.date]:
    data = json.loads(BANK_HOLIDAYS_FILE.read_text())
    return frozenset(
        datetime.date.fromisoformat(event["date"]) for event in data[DIVISION]["events"]
    )


def covered_until() -> datetime.date:
    """The last day the bank holiday data is known for (31 December of its last
    year)."""
    return datetime.date(max(bank_holidays()).year, 12, 31)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays()


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The ``days``-th working day after ``start`` (the day of receipt is day 0,
    whether or not it is a working day)."""
    day = start
    counted = 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def first_due_date(service, opened_on: datetime.date) -> datetime.date:
    """When a new case of ``service`` opened on ``opened_on`` is due."""
    if service.deadline_rule == DeadlineRule.COMPLAINT:
        return add_working_days(opened_on, COMPLAINT_STAGE_DAYS[1])
    if service.deadline_rule == DeadlineRule.FOI:
        return add_working_days(opened_on, FOI_DAYS)
    return opened_on + datetime.timedelta(days=service.sla_days)


# -- what staff may do now ------------------------------------------------------------


def available(case) -> list[str]:
    """The deadline actions that apply to ``case`` now (for the case page)."""
    rule = case.service.deadline_rule
    if rule == DeadlineRule.COMPLAINT:
        found = ["respond"] if case.is_open else []
        return found + (["escalate"] if case.stage == 1 else [])
    if rule == DeadlineRule.FOI and case.is_open:
        return (
            ["clarified", "respond"]
            if case.clock_stopped_on
            else ["clarify", "respond"]
        )
    return []


def _locked(case, action: str):
    from services.models import Case

    case = Case.objects.select_for_update().select_related("service").get(pk=case.pk)
    if action not in available(case):
        raise DeadlineActionRefused(f"This case cannot take the action {action!r} now.")
    return case


def _tell(*, case, actor, text: str, data: dict):
    from services.actions import _outbox
    from services.models import CaseEvent

    event = CaseEvent.objects.create(
        case=case,
        kind=CaseEventKind.PUBLIC_UPDATE,
        actor=actor,
        public=True,
        text=text,
        data=data,
    )
    _outbox(case=case, topic=OutboxTopic.PUBLIC_UPDATE, event=event)
    return event


def _reopen(case, status: str, *, actor, fields: list[str], data: dict):
    """Set the status the procedure requires (not a workflow choice), with its
    timeline entry."""
    from services.actions import _outbox
    from services.models import CaseEvent

    if case.status == status:
        case.save(update_fields=[*fields, "updated_at"])
        return
    from_status, case.status, case.closed_at = case.status, status, None
    case.save(update_fields=[*fields, "status", "closed_at", "updated_at"])
    event = CaseEvent.objects.create(
        case=case,
        kind=CaseEventKind.STATUS_CHANGED,
        actor=actor,
        public=True,
        from_status=from_status,
        to_status=status,
        data=data,
    )
    _outbox(case=case, topic=OutboxTopic.STATUS_CHANGED, event=event)


def _date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


# -- the actions ----------------------------------------------------------------------


@transaction.atomic
def escalate_complaint(*, case, actor, reason: str = ""):
    """Stage 2 of the complaints procedure: a senior officer reviews the complaint,
    due 20 working days from today. The resident is told the new date."""
    case = _locked(case, "escalate")
    today = timezone.localdate()
    case.stage = 2
    case.due_date = add_working_days(today, COMPLAINT_STAGE_DAYS[2])
    case.overdue_flagged_at = None
    data = {"stage": 2, "due_date": case.due_date.isoformat()}
    _reopen(
        case,
        CaseStatus.IN_PROGRESS,
        actor=actor,
        fields=["stage", "due_date", "overdue_flagged_at"],
        data=data,
    )
    text = (
        "Your complaint has moved to stage 2 of our complaints procedure. A senior "
        f"officer will review it and reply by {_date(case.due_date)}."
    )
    if reason.strip():
        text += f"\n\nWhy it was escalated: {reason.strip()}"
    _tell(case=case, actor=actor, text=text, data=data)
    return case


@transaction.atomic
def ask_for_clarification(*, case, actor, question: str):
    """Stop an FOI/EIR request's clock and ask the requester what they mean."""
    if not question.strip():
        raise ValueError("Say what the requester needs to clarify.")
    case = _locked(case, "clarify")
    case.clock_stopped_on = timezone.localdate()
    case.due_date = None
    _reopen(
        case,
        CaseStatus.AWAITING_INFO,
        actor=actor,
        fields=["clock_stopped_on", "due_date"],
        data={"clock": "stopped"},
    )
    _tell(
        case=case,
        actor=actor,
        text=(
            f"We need you to clarify your request: {question.strip()}\n\n"
            "We will answer within 20 working days of your reply."
        ),
        data={"clock": "stopped"},
    )
    return case


@transaction.atomic
def record_clarification(*, case, actor, reply: str):
    """The requester replied: the clock starts again, 20 working days from today."""
    from services.models import CaseEvent

    if not reply.strip():
        raise ValueError("Enter the requester's reply.")
    case = _locked(case, "clarified")
    today = timezone.localdate()
    case.clock_stopped_on = None
    case.due_date = add_working_days(today, FOI_DAYS)
    data = {"clock": "restarted", "due_date": case.due_date.isoformat()}
    CaseEvent.objects.create(
        case=case,
        kind=CaseEventKind.INTERNAL_NOTE,
        actor=actor,
        text=f"The requester's clarification: {reply.strip()}",
        data=data,
    )
    _reopen(
        case,
        CaseStatus.IN_PROGRESS,
        actor=actor,
        fields=["clock_stopped_on", "due_date"],
        data=data,
    )
    _tell(
        case=case,
        actor=actor,
        text=f"Thank you for clarifying your request. We will answer by "
        f"{_date(case.due_date)}.",
        data=data,
    )
    return case


@transaction.atomic
def send_response(*, case, actor, response: str):
    """Send the complaint's or the request's response to the requester from the
    case, and resolve it. A complaint may still be escalated afterwards."""
    from services.actions import _outbox
    from services.models import CaseEvent

    if not response.strip():
        raise ValueError("Write the response.")
    case = _locked(case, "respond")
    _tell(
        case=case,
        actor=actor,
        text=response.strip(),
        data={"response": True, "stage": case.stage},
    )
    from_status = case.status
    case.status = CaseStatus.RESOLVED
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "closed_at", "updated_at"])
    event = CaseEvent.objects.create(
        case=case,
        kind=CaseEventKind.STATUS_CHANGED,
        actor=actor,
        public=True,
        from_status=from_status,
        to_status=CaseStatus.RESOLVED,
        data={"response": True},
    )
    _outbox(case=case, topic=OutboxTopic.STATUS_CHANGED, event=event)
    return case


ACTIONS = {
    "escalate": (escalate_complaint, "reason"),
    "clarify": (ask_for_clarification, "question"),
    "clarified": (record_clarification, "reply"),
    "respond": (send_response, "response"),
}


def run(action: str, *, case, actor, text: str):
    """Run one of ``ACTIONS`` by name (the case page's forms)."""
    function, argument = ACTIONS[action]
    return function(case=case, actor=actor, **{argument: text})
