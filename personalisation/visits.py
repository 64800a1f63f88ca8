"""Counting the visits each segment matched, without writing in the request.

A personalised page view adds one to a counter in the worker's memory; at most every
``PUSH_SECONDS`` the worker adds its counts to shared cache counters (per segment and
day), and ``flush`` (Celery beat, every few minutes) moves those into
``SegmentDailyVisits``. So a page view costs no round trip at all, and a worker that
stops or a cache that is emptied loses at most a few minutes of counts, which is
acceptable for a report of the last 30 days.
"""

import datetime
import time
from collections import Counter

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from personalisation.models import SegmentDailyVisits

COUNTER_DAYS = 7  # counters older than this are not flushed (and have expired)
_COUNTER = "personalisation:visits:{date}:{segment}"


PUSH_SECONDS = 10


class _Pending:
    counts: Counter = Counter()
    pushed_at = time.monotonic()


_pending = _Pending()


def record(segment_ids) -> None:
    if not segment_ids:
        return
    today = timezone.localdate().isoformat()
    for i in segment_ids:
        _pending.counts[_COUNTER.format(date=today, segment=i)] += 1
    if time.monotonic() - _pending.pushed_at >= PUSH_SECONDS:
        push()


def push() -> None:
    """Add this worker's counts to the shared cache counters."""
    counts, _pending.counts = _pending.counts, Counter()
    _pending.pushed_at = time.monotonic()
    for key, count in counts.items():
        try:
            cache.incr(key, count)
        except ValueError:
            if not cache.add(key, count, timeout=COUNTER_DAYS * 24 * 3600):
                cache.incr(key, count)


def flush() -> int:
    """Move the cache counters into the database; returns the visits moved."""
    from wagtail_personalisation.models import Segment

    push()
    today = timezone.localdate()
    keys = [
        _COUNTER.format(
            date=(today - datetime.timedelta(days=d)).isoformat(), segment=i
        )
        for i in Segment.objects.values_list("pk", flat=True)
        for d in range(COUNTER_DAYS)
    ]
    moved = 0
    for key, count in cache.get_many(keys).items():
        if not count:
            continue
        _, _, date, segment = key.split(":")
        # Take what was read off the counter (visits may arrive meanwhile).
        cache.decr(key, count)
        with transaction.atomic():
            row, _ = SegmentDailyVisits.objects.get_or_create(
                segment_id=int(segment), date=datetime.date.fromisoformat(date)
            )
            SegmentDailyVisits.objects.filter(pk=row.pk).update(
                visits=F("visits") + count
            )
        moved += count
    return moved


def last_30_days() -> dict[int, int]:
    """Visits per segment id over the last 30 days (flushed counts)."""
    since = timezone.localdate() - datetime.timedelta(days=30)
    return dict(
        SegmentDailyVisits.objects.filter(date__gt=since)
        .values("segment_id")
        .annotate(total=Sum("visits"))
        .values_list("segment_id", "total")
    )
