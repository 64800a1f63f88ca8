"""The search query report's data, collected without a database write in the request.

A search or a click on a result appends one entry to a buffer in the cache (two cache
round trips: a sequence number, then the entry). ``flush()``, run every five minutes
by Celery beat and whenever an editor opens the report, adds the buffered entries to
``QueryWeek`` rows and removes them from the cache.

No personal data is kept: the query is lower-cased, its words folded, and anything
that looks like an email address, a phone number, a postcode or a long number
(reference, card or account numbers) is replaced by a placeholder before it is
buffered. Nothing about who searched (user, session, IP address, time of day) is
recorded; the week is the finest time unit.
"""

import re
from collections import defaultdict
from datetime import date, timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from search.analysis import clean_query

SEQUENCE_KEY = "search:log:seq"
FLUSHED_KEY = "search:log:flushed"
LOCK_KEY = "search:log:lock"
ENTRY_KEY = "search:log:entry:{}"
ENTRY_TIMEOUT = 60 * 60 * 24 * 7
MAX_LOGGED_LENGTH = 100
# An entry's sequence number is taken just before it is written: one missing this
# close to the end of the buffer may still be on its way, so a flush stops before it.
IN_FLIGHT_WINDOW = 50
FLUSH_BATCH = 1000

SEARCH, CLICK = "s", "c"

REDACTIONS = [
    (re.compile(r"\S+@\S+"), "[email]"),
    (
        re.compile(r"\b[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}\b", re.IGNORECASE),
        "[postcode]",
    ),
    (re.compile(r"\+?\d[\d\s-]{6,}\d"), "[number]"),
    (re.compile(r"\b\d{5,}\b"), "[number]"),
]


def normalise_for_log(raw: str) -> str:
    """The query as the report shows it: redacted, lower case, at most 100 characters."""
    text = clean_query(raw).lower()
    for pattern, placeholder in REDACTIONS:
        text = pattern.sub(placeholder, text)
    return " ".join(text.split())[:MAX_LOGGED_LENGTH]


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _append(entry: tuple) -> None:
    if not cache.add(SEQUENCE_KEY, 1, timeout=None):
        try:
            number = cache.incr(SEQUENCE_KEY)
        except ValueError:  # evicted between add() and incr()
            cache.set(SEQUENCE_KEY, 1, timeout=None)
            number = 1
    else:
        number = 1
    cache.set(ENTRY_KEY.format(number), entry, ENTRY_TIMEOUT)


def record_search(query: str, result_count: int) -> None:
    logged = normalise_for_log(query)
    if logged:
        week = week_of(timezone.localdate()).isoformat()
        _append((SEARCH, week, logged, int(result_count)))


def record_click(query: str) -> None:
    logged = normalise_for_log(query)
    if logged:
        week = week_of(timezone.localdate()).isoformat()
        _append((CLICK, week, logged, 0))


def flush() -> int:
    """Move buffered entries into ``QueryWeek``; returns how many were moved.

    A cache lock keeps two flushes from counting the same entries twice.
    """
    if not cache.add(LOCK_KEY, 1, timeout=120):
        return 0
    try:
        moved = 0
        while True:
            batch = _flush_batch()
            moved += batch
            if batch < FLUSH_BATCH:
                return moved
    finally:
        cache.delete(LOCK_KEY)


def _flush_batch() -> int:
    last = cache.get(SEQUENCE_KEY, 0)
    flushed = cache.get(FLUSHED_KEY, 0)
    if last < flushed:  # the cache was cleared: start again
        flushed = 0
    end = min(last, flushed + FLUSH_BATCH)
    if end <= flushed:
        return 0
    keys = [ENTRY_KEY.format(n) for n in range(flushed + 1, end + 1)]
    found = cache.get_many(keys)
    upto = end
    for n in range(flushed + 1, end + 1):
        if ENTRY_KEY.format(n) not in found and n > last - IN_FLIGHT_WINDOW:
            upto = n - 1
            break
    totals = defaultdict(lambda: [0, 0, 0])
    for n in range(flushed + 1, upto + 1):
        entry = found.get(ENTRY_KEY.format(n))
        if not entry:
            continue
        kind, week, query, results = entry
        counters = totals[(week, query)]
        if kind == SEARCH:
            counters[0] += 1
            counters[1] += 1 if results == 0 else 0
        else:
            counters[2] += 1
    _save(totals)
    cache.set(FLUSHED_KEY, upto, timeout=None)
    cache.delete_many([ENTRY_KEY.format(n) for n in range(flushed + 1, upto + 1)])
    return upto - flushed


@transaction.atomic
def _save(totals) -> None:
    from search.models import QueryWeek

    for (week, query), (searches, empty, clicks) in totals.items():
        row, created = QueryWeek.objects.get_or_create(
            week=date.fromisoformat(week),
            query=query,
            defaults={
                "searches": searches,
                "searches_without_results": empty,
                "clicks": clicks,
            },
        )
        if not created:
            QueryWeek.objects.filter(pk=row.pk).update(
                searches=F("searches") + searches,
                searches_without_results=F("searches_without_results") + empty,
                clicks=F("clicks") + clicks,
            )
