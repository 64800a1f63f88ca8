"""Case actions: references, timeline, outbox, workflow and visibility."""

import datetime
import threading
import uuid

from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.db import connection
from django.utils import timezone

import pytest

from services import actions
from services.enums import CaseEventKind, CaseStatus, Channel
from services.models import Case, OutboxEvent
from tests.needs import needs_postgres


def open_bin_case(service, resident=None, **kwargs):
    return actions.open_case(
        service=service,
        answers={"bin_type": "general"},
        resident=resident,
        guest_email="" if resident else "guest@example.com",
        **kwargs,
    )


@pytest.mark.django_db
def test_opening_a_case_writes_case_event_and_outbox_and_emails_the_resident(
    bin_service, resident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = open_bin_case(bin_service, resident)
    year = timezone.localdate().year
    assert case.reference == f"BIN-{year}-000001"
    assert case.team == bin_service.team
    assert case.due_date == timezone.localdate() + datetime.timedelta(days=2)
    assert [e.kind for e in case.events.all()] == [CaseEventKind.SUBMITTED]
    outbox = OutboxEvent.objects.get(case=case)
    assert outbox.delivered_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["resident@example.com"]
    assert case.reference in mail.outbox[0].subject


@pytest.mark.django_db
def test_references_are_sequential_per_service_and_year(bin_service, street_service):
    refs = [open_bin_case(bin_service).reference for _ in range(3)]
    other = open_bin_case(street_service).reference
    year = timezone.localdate().year
    assert refs == [f"BIN-{year}-00000{n}" for n in (1, 2, 3)]
    assert other == f"STR-{year}-000001"


@pytest.mark.django_db
def test_same_idempotency_key_returns_the_same_case(bin_service):
    key = uuid.uuid4()
    first = open_bin_case(bin_service, idempotency_key=key)
    second = open_bin_case(bin_service, idempotency_key=key)
    assert first.pk == second.pk
    assert (first.created, second.created) == (True, False)
    assert Case.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_duplicate_submissions_create_exactly_one_case_without_gaps(
    bin_service,
):
    needs_postgres("real concurrent transactions")
    key = uuid.uuid4()
    barrier = threading.Barrier(6)
    results, errors = [], []

    def submit():
        try:
            barrier.wait()
            results.append(open_bin_case(bin_service, idempotency_key=key).pk)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(set(results)) == 1
    assert Case.objects.count() == 1
    # The losers gave their reference numbers back: the next case is 000002.
    year = timezone.localdate().year
    assert open_bin_case(bin_service).reference == f"BIN-{year}-000002"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_different_submissions_get_distinct_sequential_references(
    bin_service,
):
    needs_postgres("real concurrent transactions")
    barrier = threading.Barrier(8)
    refs = []

    def submit():
        barrier.wait()
        refs.append(open_bin_case(bin_service, idempotency_key=uuid.uuid4()).reference)
        connection.close()

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    numbers = sorted(int(r.rsplit("-", 1)[1]) for r in refs)
    assert numbers == list(range(1, 9))


@pytest.mark.django_db
def test_allowed_transition_is_recorded_and_forbidden_one_is_refused(
    bin_service, resident, waste_officer
):
    case = open_bin_case(bin_service, resident)
    actions.change_status(
        case=case,
        to_status=CaseStatus.IN_PROGRESS,
        actor=waste_officer,
        message="On it",
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    with pytest.raises(actions.InvalidTransition):
        actions.change_status(
            case=case, to_status=CaseStatus.SUBMITTED, actor=waste_officer
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    event = case.events.get(kind=CaseEventKind.STATUS_CHANGED)
    assert (event.from_status, event.to_status, event.actor) == (
        "submitted",
        "in_progress",
        waste_officer,
    )


@pytest.mark.django_db
def test_transitions_are_data_the_service_defines(bin_service, resident, waste_officer):
    bin_service.allowed_transitions = {"submitted": ["closed"]}
    bin_service.save()
    case = open_bin_case(bin_service, resident)
    with pytest.raises(actions.InvalidTransition):
        actions.change_status(case=case, to_status="in_progress", actor=waste_officer)
    actions.change_status(case=case, to_status="closed", actor=waste_officer)
    case.refresh_from_db()
    assert case.status == "closed" and case.closed_at is not None


@pytest.mark.django_db
def test_internal_note_is_not_public_and_sends_nothing(
    bin_service, resident, waste_officer, django_capture_on_commit_callbacks
):
    case = open_bin_case(bin_service, resident)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_note(case=case, actor=waste_officer, text="Crew says blocked drive")
        actions.add_note(
            case=case, actor=waste_officer, text="We will return", public=True
        )
    assert list(case.events.public().values_list("text", flat=True)) == [
        "Missed bin request received.",
        "We will return",
    ]
    assert len(mail.outbox) == 1
    assert "We will return" in mail.outbox[0].body


@pytest.mark.django_db
def test_assign_writes_the_timeline_and_partners_cannot_reassign(
    bin_service, resident, waste_officer, contractor, django_user_model
):
    case = open_bin_case(bin_service, resident)
    actions.assign(
        case=case, actor=waste_officer, assignee=waste_officer, partner=contractor
    )
    case.refresh_from_db()
    assert case.assignee == waste_officer and case.partner == contractor
    assert case.events.filter(kind=CaseEventKind.ASSIGNED, actor=waste_officer).exists()
    partner_user = django_user_model.objects.create_user("p", "p@example.com", "x")
    partner_user.groups.add(contractor)
    with pytest.raises(actions.NotPermitted):
        actions.assign(case=case, actor=partner_user, assignee=partner_user)


@pytest.mark.django_db
def test_querysets_scope_cases_to_resident_staff_and_partner(
    bin_service,
    street_service,
    resident,
    other_resident,
    waste_officer,
    highways_officer,
    contractor,
    django_user_model,
):
    mine = open_bin_case(bin_service, resident)
    theirs = open_bin_case(street_service, other_resident)
    actions.assign(case=theirs, actor=highways_officer, partner=contractor)
    partner_user = django_user_model.objects.create_user("p", "p@example.com", "x")
    partner_user.groups.add(contractor)
    assert list(Case.objects.for_resident(resident)) == [mine]
    assert list(Case.objects.for_staff(waste_officer)) == [mine]
    assert list(Case.objects.for_staff(highways_officer)) == [theirs]
    assert list(Case.objects.for_staff(partner_user)) == [theirs]
    assert Case.objects.for_resident(AnonymousUser()).count() == 0
    assert Case.objects.for_staff(AnonymousUser()).count() == 0


@pytest.mark.django_db
def test_overdue_job_flags_each_case_once_and_emails_the_team(
    bin_service, resident, waste_officer, django_capture_on_commit_callbacks
):
    late = open_bin_case(bin_service, resident, channel=Channel.PHONE)
    on_time = open_bin_case(bin_service, resident)
    Case.objects.filter(pk=late.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        flagged = actions.flag_overdue()
    assert flagged == [late.pk]
    assert list(Case.objects.overdue()) == [Case.objects.get(pk=late.pk)]
    assert late.events.filter(kind=CaseEventKind.OVERDUE).count() == 1
    assert [m.to for m in mail.outbox] == [["waste@example.com"]]
    assert late.reference in mail.outbox[0].body
    assert on_time.reference not in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.flag_overdue() == []
    assert len(mail.outbox) == 1
