"""Retention: closed cases past their service's retention period lose their
personal data (and files) but keep what statistics need."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

import pytest

from services import actions, retention
from services.enums import CaseEventKind, CaseStatus
from services.models import Case, CaseAttachment, CaseEvent, CaseFollower
from services.tasks import erase_expired_cases
from services.uploads import uploads_storage

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture(autouse=True)
def _private_uploads(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "case_uploads": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads")},
        },
    }
    from django.core.files.storage import storages

    storages._storages.pop("case_uploads", None)
    yield
    storages._storages.pop("case_uploads", None)


def make_case(service, *, resident=None, closed_days_ago=None, status=None, **extra):
    case = actions.open_case(
        service=service,
        answers={"Which bin?": "Blue", "photos": []},
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
    case = make_case(bin_service, resident=resident, closed_days_ago=31)
    photo = default_storage.save("case-photos/t/p.jpg", ContentFile(b"jpeg"))
    upload = uploads_storage().save("uploads/2026-01-01/t/f.pdf", ContentFile(b"%PDF"))
    Case.objects.filter(pk=case.pk).update(answers={"Note": "x", "photos": [photo]})
    CaseAttachment.objects.create(
        case=case, question="File", original_name="me.pdf", file=upload,
        content_type="application/pdf", size=4,
    )  # fmt: skip
    actions.add_note(case=case, actor=waste_officer, text="Spoke to Mrs Smith")
    CaseFollower.objects.create(case=case, user=other_resident)
    reference, created_at = case.reference, case.created_at

    with django_capture_on_commit_callbacks(execute=True):
        assert retention.erase_expired_cases(now=NOW) == 1

    case.refresh_from_db()
    assert case.answers == {} and case.resident is None
    assert case.guest_email == case.contact_name == case.address == case.uprn == ""
    assert case.location_description == ""
    assert case.postcode == "GH1"
    assert (case.latitude, case.longitude) == (Decimal("51.23"), Decimal("-0.57"))
    assert case.anonymised_at is not None
    assert (case.reference, case.status, case.created_at) == (
        reference,
        CaseStatus.CLOSED,
        created_at,
    )
    assert case.team == bin_service.team and case.case_type == "Missed bin"
    assert not CaseAttachment.objects.exists() and not CaseFollower.objects.exists()
    assert not default_storage.exists(photo)
    assert not uploads_storage().exists(upload)
    events = list(case.events.order_by("pk"))
    assert "Spoke to Mrs Smith" not in [e.text for e in events]
    assert all(e.actor_id != resident.pk for e in events)
    assert events[-1].kind == CaseEventKind.ANONYMISED
    assert "30 days" in events[-1].text


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


def test_files_from_unfinished_journeys_are_swept_after_two_days(bin_service):
    storage = uploads_storage()
    today = datetime.date(2026, 3, 10)
    old_orphan = storage.save("uploads/2026-03-07/tok1/a.pdf", ContentFile(b"1"))
    old_kept = storage.save("uploads/2026-03-07/tok2/b.pdf", ContentFile(b"2"))
    recent = storage.save("uploads/2026-03-09/tok3/c.pdf", ContentFile(b"3"))
    case = make_case(bin_service)
    CaseAttachment.objects.create(
        case=case, question="F", original_name="b.pdf", file=old_kept,
        content_type="application/pdf", size=1,
    )  # fmt: skip
    assert retention.sweep_abandoned_uploads(today=today) == 1
    assert not storage.exists(old_orphan)
    assert storage.exists(old_kept) and storage.exists(recent)
