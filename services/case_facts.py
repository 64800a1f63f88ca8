"""What the segment rules know of a resident's cases: one query, cached briefly.

The case rules (``services.models.segment_rules``: "has an open case of a service",
"had a case closed in the last N days") all read one summary per signed-in
resident: for each service, whether a case is open and when the latest one closed.
It is built with a single aggregate query the first time a request needs it, kept
in the cache for ``CASE_FACTS_SECONDS`` and dropped as soon as one of the
resident's cases is saved or deleted (``services.signal_handlers``).
"""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.utils import timezone

CASE_FACTS_SECONDS = 300
_KEY = "personalisation:cases:{user_id}"


def _build(user) -> dict[int, tuple[bool, str | None]]:
    """{service id: (has an open case, when the latest case closed, ISO)}."""
    from services.models import Case

    cases = Case.objects.for_resident(user)
    is_open = Q(pk__in=cases.open().values("pk"))
    rows = (
        cases.order_by()
        .values("service_id")
        .annotate(
            open_count=Count("pk", filter=is_open),
            last_closed=Max("closed_at", filter=~is_open),
        )
    )
    return {
        row["service_id"]: (
            row["open_count"] > 0,
            row["last_closed"].isoformat() if row["last_closed"] else None,
        )
        for row in rows
    }


def case_facts(request, user) -> dict[int, tuple[bool, str | None]]:
    """The resident's case summary, once per request (cache, then one query)."""
    facts = getattr(request, "_segment_case_facts", None)
    if facts is None:
        key = _KEY.format(user_id=user.pk)
        facts = cache.get(key)
        if facts is None:
            facts = _build(user)
            cache.set(key, facts, CASE_FACTS_SECONDS)
        request._segment_case_facts = facts
    return facts


def forget(user_id) -> None:
    """A case of this resident changed: the next request reads them afresh."""
    if user_id:
        cache.delete(_KEY.format(user_id=user_id))


def has_open_case(facts, service_id: int | None) -> bool:
    if service_id is None:
        return any(is_open for is_open, _ in facts.values())
    return bool(facts.get(service_id, (False, None))[0])


def closed_within(facts, service_id: int | None, days: int) -> bool:
    since = timezone.now() - datetime.timedelta(days=days)
    closed = [
        last
        for sid, (_, last) in facts.items()
        if last and (service_id is None or sid == service_id)
    ]
    return any(datetime.datetime.fromisoformat(last) >= since for last in closed)
