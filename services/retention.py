"""Retention: erase the personal data of closed cases kept past their service's
``retention_days``, and files from journeys nobody finished.

What is erased: the answers, the resident link and guest email, the contact name,
the address, UPRN and location description, the free text of timeline entries, the
residents following the case, uploaded photos and files. The postcode is cut to
its outward code (``GU1 4AA`` → ``GU1``) and a map pin is rounded to 2 decimal
places (about a kilometre), so the council can still count requests by area.
What is kept for statistics: reference, service, case type, category, status,
channel, team, dates and the timeline's kinds and statuses.

Each batch is one transaction that locks its cases (``skip_locked``, so two
workers share the work); ``Case.anonymised_at`` marks the done ones, so a rerun,
or a retried task, erases nothing twice. Files are deleted only once the batch
has committed. Called by the Celery beat task ``services.tasks.erase_expired_cases``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from frontend.formats import parse_postcode
from services.enums import CLOSED_STATUSES, CaseEventKind
from services.models import (
    Case,
    CaseAttachment,
    CaseEvent,
    CaseFollower,
    ServiceDefinition,
)
from services.uploads import UPLOADS_FOLDER, delete_stored, uploads_storage

# Timeline kinds whose text is written by the system, never by a person.
SYSTEM_TEXT_KINDS = (CaseEventKind.SUBMITTED, CaseEventKind.OVERDUE)
ABANDONED_UPLOAD_DAYS = 2


def outward_code(postcode: str) -> str:
    """The district a case was in (``GH1``), kept for statistics; a value that is
    not a postcode is not kept at all."""
    parsed = parse_postcode(postcode)
    return parsed.outward if parsed is not None else ""


def _rounded(value):
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def expired_cases(service: ServiceDefinition, now: datetime.datetime):
    cutoff = now - datetime.timedelta(days=service.retention_days)
    return Case.objects.filter(
        service=service,
        status__in=CLOSED_STATUSES,
        anonymised_at__isnull=True,
        closed_at__lt=cutoff,
    )


@transaction.atomic
def erase_batch(*, service: ServiceDefinition, now=None, batch_size: int) -> int:
    """Erase up to ``batch_size`` expired cases of one service; how many were."""
    now = now or timezone.now()
    cases = list(
        expired_cases(service, now)
        .select_for_update(skip_locked=True)
        .only("pk", "answers", "postcode", "latitude", "longitude", "resident_id")
        .order_by("pk")[:batch_size]
    )
    if not cases:
        return 0
    ids = [c.pk for c in cases]
    photos = [p for c in cases for p in (c.answers or {}).get("photos") or []]
    files = list(
        CaseAttachment.objects.filter(case_id__in=ids).values_list("file", flat=True)
    )
    CaseAttachment.objects.filter(case_id__in=ids).delete()
    CaseFollower.objects.filter(case_id__in=ids).delete()
    # The resident's own timeline entries no longer point at them.
    CaseEvent.objects.filter(case_id__in=ids, actor_id=F("case__resident_id")).update(
        actor=None
    )
    CaseEvent.objects.filter(case_id__in=ids).exclude(
        kind__in=SYSTEM_TEXT_KINDS
    ).update(text="", data={})
    for case in cases:
        case.answers = {}
        case.resident = None
        case.guest_email = ""
        case.contact_name = ""
        case.address = ""
        case.uprn = ""
        case.location_description = ""
        case.postcode = outward_code(case.postcode)
        case.latitude = _rounded(case.latitude)
        case.longitude = _rounded(case.longitude)
        case.anonymised_at = now
    Case.objects.bulk_update(
        cases,
        [
            "answers",
            "resident",
            "guest_email",
            "contact_name",
            "address",
            "uprn",
            "location_description",
            "postcode",
            "latitude",
            "longitude",
            "anonymised_at",
        ],
    )
    text = (
        "Personal data erased: the case was closed more than "
        f"{service.retention_days} days ago."
    )
    CaseEvent.objects.bulk_create(
        CaseEvent(case_id=pk, kind=CaseEventKind.ANONYMISED, text=text, created_at=now)
        for pk in ids
    )
    transaction.on_commit(lambda: delete_stored(photos=photos, uploads=files))
    return len(ids)


def erase_expired_cases(*, now=None, batch_size: int | None = None) -> int:
    """Every service, batch after batch; returns how many cases were erased."""
    now = now or timezone.now()
    batch_size = batch_size or settings.CASE_RETENTION_BATCH_SIZE
    total = 0
    for service in ServiceDefinition.objects.only("pk", "retention_days"):
        while True:
            done = erase_batch(service=service, now=now, batch_size=batch_size)
            total += done
            if done < batch_size:
                break
    return total


def sweep_abandoned_uploads(*, today: datetime.date | None = None) -> int:
    """Delete files uploaded in journeys that never became a case, once their day
    folder is older than ``ABANDONED_UPLOAD_DAYS``; returns how many."""
    today = today or timezone.localdate()
    storage = uploads_storage()
    if not storage.exists(UPLOADS_FOLDER):
        return 0
    removed = 0
    days, _files = storage.listdir(UPLOADS_FOLDER)
    for day in sorted(days):
        try:
            age = (today - datetime.date.fromisoformat(day)).days
        except ValueError:
            continue
        if age <= ABANDONED_UPLOAD_DAYS:
            continue
        names = []
        tokens, _ = storage.listdir(f"{UPLOADS_FOLDER}/{day}")
        for token in tokens:
            _dirs, files = storage.listdir(f"{UPLOADS_FOLDER}/{day}/{token}")
            names += [f"{UPLOADS_FOLDER}/{day}/{token}/{name}" for name in files]
        kept = set(
            CaseAttachment.objects.filter(file__in=names).values_list("file", flat=True)
        )
        orphans = [n for n in names if n not in kept]
        delete_stored(uploads=orphans)
        removed += len(orphans)
    return removed
