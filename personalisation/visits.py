"""Counting the visits each segment matched, without writing in the request.

A personalised page view adds one to a cache counter per matched segment and day;
``flush`` (run every few minutes by Celery beat) moves the counters into
``SegmentDailyVisits``. A counter lost with the cache loses at most a few minutes of
counts, which is acceptable for a report of the last 30 days.
"""

import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from personalisation.models import SegmentDailyVisits

COUNTER_DAYS = 7  # counters older than this are not flushed (and have expired)
_COUNTER = "personalisation:visits:{date}:{segment}"


def record(segment_ids) -> None:
    if not segment_ids:
        return
    today = timezone.localdate().isoformat()
    keys = [_COUNTER.format(date=today, segment=i) for i in segment_ids]
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:
            if not cache.add(key, 1, timeout=COUNTER_DAYS * 24 * 3600):
                cache.incr(key)


def flush() -> int:
    """Move the cache counters into the database; returns the visits moved."""
    from wagtail_personalisation.models import Segment

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
