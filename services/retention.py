"""Retention: erase the personal data of closed cases kept past their service's
``retention_days``, files from journeys nobody finished, and expired sessions.

What a case keeps and loses is decided in one place, ``services.erasure``, which
account deletion uses too: the same routine runs here on the expired cases
(``erase_cases``) and on everyone following them (``erase_follows``).

Each batch is one transaction that locks its cases (``skip_locked``, so two
workers share the work); ``Case.anonymised_at`` marks the done ones, so a rerun,
or a retried task, erases nothing twice. Account deletion erases a case without
that mark (it may still be open and worked), so the case is erased again here once
it expires and nothing staff wrote since stays. Files are deleted only once the batch has committed.
Called by the Celery beat tasks ``services.tasks.erase_expired_cases`` and
``services.tasks.sweep_abandoned_uploads``.
"""

from __future__ import annotations

import datetime
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from services.enums import CLOSED_STATUSES
from services.erasure import erase_cases, erase_follows, erase_interactions
from services.models import (
    Case,
    CaseAttachment,
    CaseDraft,
    CaseFollower,
    Interaction,
    InteractionReason,
    ServiceDefinition,
)
from services.uploads import UPLOADS_FOLDER, delete_stored, uploads_storage


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
    ids = list(
        expired_cases(service, now)
        .select_for_update(skip_locked=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:batch_size]
    )
    if not ids:
        return 0
    erase_follows(CaseFollower.objects.filter(case_id__in=ids))
    return erase_cases(
        ids,
        reason=(
            "Personal data erased: the case was closed more than "
            f"{service.retention_days} days ago."
        ),
        anonymised_at=now,
        now=now,
    )


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


def erase_expired_interactions(*, now=None) -> int:
    """Interactions logged longer ago than their reason's ``retention_days``
    lose the person's details (``services.erasure.erase_interactions``); one
    UPDATE per reason, which the partial index keeps cheap."""
    now = now or timezone.now()
    total = 0
    for reason in InteractionReason.objects.only("pk", "retention_days"):
        cutoff = now - datetime.timedelta(days=reason.retention_days)
        total += erase_interactions(
            Interaction.objects.holding_personal_data().filter(
                reason=reason, created_at__lt=cutoff
            ),
            now=now,
        )
    return total


def abandoned_cutoff(now=None) -> datetime.datetime:
    hours = settings.CASE_UPLOAD_ABANDONED_HOURS
    return (now or timezone.now()) - datetime.timedelta(hours=hours)


def sweep_abandoned_uploads(*, now=None) -> int:
    """Delete files uploaded in journeys that never became a case, once they are
    older than ``CASE_UPLOAD_ABANDONED_HOURS``; returns how many.

    Files live in ``uploads/<day>/<journey token>/``: only day folders up to the
    cutoff's day are read, and in the cutoff's own day each file's time is checked.
    A file is kept while a case holds it (``CaseAttachment``) or while a signed-in
    resident's saved journey (``CaseDraft``) has its token: they may come back to
    it. A guest's journey lives in their session only, so its files go after the
    cutoff even if the session lives on (submitting then skips the missing files).
    """
    cutoff = abandoned_cutoff(now)
    cutoff_day = timezone.localdate(cutoff)
    storage = uploads_storage()
    if not storage.exists(UPLOADS_FOLDER):
        return 0
    live_tokens = {
        str(token)
        for token in CaseDraft.objects.values_list("state__token", flat=True)
        if token
    }
    removed = 0
    days, _files = storage.listdir(UPLOADS_FOLDER)
    for day in sorted(days):
        try:
            day_date = datetime.date.fromisoformat(day)
        except ValueError:
            continue
        if day_date > cutoff_day:
            continue
        names = []
        tokens, _ = storage.listdir(f"{UPLOADS_FOLDER}/{day}")
        for token in tokens:
            if token in live_tokens:
                continue
            _dirs, files = storage.listdir(f"{UPLOADS_FOLDER}/{day}/{token}")
            names += [f"{UPLOADS_FOLDER}/{day}/{token}/{name}" for name in files]
        if day_date == cutoff_day:
            names = [n for n in names if storage.get_modified_time(n) < cutoff]
        kept = set(
            CaseAttachment.objects.filter(file__in=names).values_list("file", flat=True)
        )
        orphans = [n for n in names if n not in kept]
        delete_stored(orphans)
        removed += len(orphans)
    return removed


def clear_expired_sessions() -> None:
    """Delete expired sessions: a guest's session holds their journey's answers
    and the email address of their last request until it is cleared."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
