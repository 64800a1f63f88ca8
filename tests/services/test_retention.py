"""Retention: closed cases past their service's retention period lose their
personal data (and files) but keep what statistics need."""

import datetime
import os
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

import pytest

from services import actions, retention
from services.enums import CaseEventKind, CaseStatus
from services.models import (
    Case,
    CaseAttachment,
    CaseDraft,
    CaseEvent,
    CaseFollower,
    CaseSatisfaction,
)
from services.tasks import erase_expired_cases, sweep_abandoned_uploads
from services.uploads import uploads_storage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]

NOW = timezone.now()


def make_case(service, *, resident=None, closed_days_ago=None, status=None, **extra):
    case = actions.open_case(
        service=service,
        answers={"Which bin?": "Blue"},
        resident=resident,
        guest_email="" if resident else "guest@example.com",
        contact_name="" if resident else "Sam Guest",
        address="12 Mill Lane, Guildhall, GH1 2BB",
        postcode="GH1 2BB",
        uprn="100090000012",
        latitude=Decimal("51.234567"),
        longitude=Decimal("-0.567891"),
        location_description="Mill Lane, by the bus stop",
        **extra,
    )
    if closed_days_ago is not None:
        Case.objects.filter(pk=case.pk).update(
            status=status or CaseStatus.CLOSED,
            closed_at=NOW - datetime.timedelta(days=closed_days_ago),
        )
    case.refresh_from_db()
    return case


def test_expired_case_loses_personal_data_and_files_but_keeps_statistics(
    bin_service,
    resident,
    other_resident,
    waste_officer,
    django_capture_on_commit_callbacks,
):
    bin_service.retention_days = 30
    bin_service.save()
    case = make_case(bin_service, resident=resident)
    ward_id = case.ward_id
    upload = uploads_storage().save("uploads/2026-01-01/t/f.pdf", ContentFile(b"%PDF"))
    CaseAttachment.objects.create(
        case=case, question="File", original_name="me.pdf", file=upload,
        content_type="application/pdf", size=4,
    )  # fmt: skip
    actions.add_note(case=case, actor=waste_officer, text="Spoke to Mrs Smith")
    actions.add_note(
        case=case, actor=waste_officer, text="Mrs Smith: call 07700900123", public=True
    )
    CaseFollower.objects.create(case=case, user=other_resident)
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED, closed_at=NOW - datetime.timedelta(days=31)
    )
    actions.record_satisfaction(
        case=case, answer="yes", comment="Thanks, Mrs Smith", actor=resident
    )
    outbox = case.outbox.first()
    outbox.last_error = "550 mailbox resident@example.com unavailable"
    outbox.save()
    reference, created_at = case.reference, case.created_at

    with django_capture_on_commit_callbacks(execute=True):
        assert retention.erase_expired_cases(now=NOW) == 1

    case.refresh_from_db()
    assert case.answers == {} and case.resident is None
    assert case.guest_email == case.contact_name == case.address == case.uprn == ""
    assert case.location_description == ""
    assert case.postcode == "GH1"
    assert (case.latitude, case.longitude) == (None, None)
    assert case.ward_id == ward_id
    assert case.anonymised_at is not None
    assert (case.reference, case.status, case.created_at) == (
        reference,
        CaseStatus.CLOSED,
        created_at,
    )
    assert case.team == bin_service.team and case.case_type == "Missed bin"
    assert not CaseAttachment.objects.exists() and not CaseFollower.objects.exists()
    assert not uploads_storage().exists(upload)
    satisfaction = CaseSatisfaction.objects.get(case=case)
    assert (satisfaction.answer, satisfaction.comment) == ("yes", "")
    outbox.refresh_from_db()
    assert outbox.last_error == "" and outbox.payload == {}
    events = list(case.events.order_by("pk"))
    texts = [e.text for e in events]
    assert not [t for t in texts if "Smith" in t or "07700900123" in t]
    # The timeline keeps its shape: every entry is still there, written text erased.
    kinds = [e.kind for e in events]
    assert kinds.count(CaseEventKind.INTERNAL_NOTE) == 1
    assert kinds.count(CaseEventKind.PUBLIC_UPDATE) == 1
    note = next(e for e in events if e.kind == CaseEventKind.INTERNAL_NOTE)
    assert note.text == "[erased]" and note.actor == waste_officer
    assert all(e.actor_id != resident.pk for e in events)
    assert events[-1].kind == CaseEventKind.ANONYMISED
    assert "30 days" in events[-1].text


def test_a_case_erased_with_its_account_is_erased_again_when_it_expires(
    bin_service, resident, waste_officer
):
    """Staff kept working the case after the resident deleted their account; what
    they wrote since is erased once the case is past its retention period."""
    from myaccount.actions import delete_account

    bin_service.retention_days = 30
    bin_service.save()
    case = make_case(bin_service, resident=resident)
    delete_account(user=resident)
    case.refresh_from_db()
    assert case.address == "" and case.anonymised_at is None
    actions.add_note(case=case, actor=waste_officer, text="Rang Mr Jones back")
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED, closed_at=NOW - datetime.timedelta(days=31)
    )
    assert retention.erase_expired_cases(now=NOW) == 1
    assert not CaseEvent.objects.filter(text__contains="Jones").exists()
    assert retention.erase_expired_cases(now=NOW) == 0


def test_recent_open_and_other_service_cases_are_kept(bin_service, street_service):
    bin_service.retention_days = 30
    bin_service.save()
    recent = make_case(bin_service, closed_days_ago=29)
    still_open = make_case(bin_service)
    Case.objects.filter(pk=still_open.pk).update(
        created_at=NOW - datetime.timedelta(days=400)
    )
    other = make_case(street_service, closed_days_ago=100)  # keeps 730 days
    assert retention.erase_expired_cases(now=NOW) == 0
    for case in (recent, still_open, other):
        case.refresh_from_db()
        assert case.guest_email == "guest@example.com" and case.anonymised_at is None


def test_erasing_runs_in_batches_and_twice_erases_nothing_twice(bin_service):
    bin_service.retention_days = 10
    bin_service.save()
    for _ in range(5):
        make_case(bin_service, closed_days_ago=11, status=CaseStatus.REJECTED)
    assert retention.erase_batch(service=bin_service, now=NOW, batch_size=2) == 2
    assert retention.erase_expired_cases(now=NOW, batch_size=2) == 3
    assert retention.erase_expired_cases(now=NOW, batch_size=2) == 0
    assert not Case.objects.exclude(guest_email="").exists()
    assert (
        CaseEvent.objects.filter(kind=CaseEventKind.ANONYMISED).count() == 5
    )  # one each, never repeated


def test_beat_runs_the_retention_task(bin_service):
    schedule = settings.CELERY_BEAT_SCHEDULE["erase-expired-cases"]
    assert schedule["task"] == "services.tasks.erase_expired_cases"
    bin_service.retention_days = 1
    bin_service.save()
    make_case(bin_service, closed_days_ago=2)
    assert erase_expired_cases.delay().get() == 1
    assert Case.objects.get().guest_email == ""


def _saved(storage, name, *, at):
    stored = storage.save(name, ContentFile(b"1"))
    os.utime(storage.path(stored), (at.timestamp(), at.timestamp()))
    return stored


def test_files_from_unfinished_journeys_are_swept_after_a_day(
    bin_service, resident, settings
):
    settings.CASE_UPLOAD_ABANDONED_HOURS = 24
    storage = uploads_storage()
    now = timezone.make_aware(datetime.datetime(2026, 3, 10, 12, 0))
    hours = lambda n: now - datetime.timedelta(hours=n)  # noqa: E731
    orphan = _saved(storage, "uploads/2026-03-08/tok1/a.pdf", at=hours(50))
    kept = _saved(storage, "uploads/2026-03-08/tok2/b.pdf", at=hours(50))
    orphan_25h = _saved(storage, "uploads/2026-03-09/tok3/c.jpg", at=hours(25))
    recent_23h = _saved(storage, "uploads/2026-03-09/tok4/d.jpg", at=hours(23))
    draft_file = _saved(storage, "uploads/2026-03-01/tok5/e.jpg", at=hours(220))
    today = _saved(storage, "uploads/2026-03-10/tok6/f.jpg", at=hours(1))
    case = make_case(bin_service)
    CaseAttachment.objects.create(
        case=case, question="F", original_name="b.pdf", file=kept,
        content_type="application/pdf", size=1,
    )  # fmt: skip
    CaseDraft.objects.create(
        user=resident, journey_key="k", state={"token": "tok5", "answers": {}}
    )
    assert retention.sweep_abandoned_uploads(now=now) == 2
    assert not storage.exists(orphan) and not storage.exists(orphan_25h)
    for name in (kept, recent_23h, draft_file, today):
        assert storage.exists(name)


def test_beat_sweeps_abandoned_uploads_hourly(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["sweep-abandoned-uploads"]
    assert schedule["task"] == "services.tasks.sweep_abandoned_uploads"
    assert schedule["schedule"] == 3600
    storage = uploads_storage()
    old = timezone.now() - datetime.timedelta(hours=30)
    name = _saved(storage, f"uploads/{old:%Y-%m-%d}/tok/a.jpg", at=old)
    assert sweep_abandoned_uploads.delay().get() == 1
    assert not storage.exists(name)


def test_retention_task_clears_expired_sessions(client, settings):
    from django.contrib.sessions.models import Session

    session = client.session
    session["journey:x"] = {"answers": {"contact": {"email": "sam@example.com"}}}
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    erase_expired_cases.delay().get()
    assert not Session.objects.filter(session_key=session.session_key).exists()


@pytest.mark.parametrize(
    ("postcode", "district"),
    [("GH1 2BB", "GH1"), ("gh12bb", "GH1"), ("SW1A 1AA", "SW1A"), ("X", ""), ("", "")],
)
def test_only_the_postcode_district_is_kept(postcode, district):
    from services.erasure import outward_code

    assert outward_code(postcode) == district
