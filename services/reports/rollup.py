"""The nightly roll-up: one day's cases into ``ServiceDayStats`` and facts.

``rollup_day(day)`` is idempotent: it recomputes the day from the cases as they
are now and replaces what was there. What it writes:

1. ``ClosedCaseFact`` for every case whose ``closed_at`` falls on the day (an
   upsert keyed by the case: a case that closed on an earlier day, was reopened
   and closed again today moves here), and the satisfaction answers given on the
   day copied to their cases' facts. Facts of cases open again are deleted.
2. The day's rows: cases opened and repeat reports (from ``created_at``), open
   and overdue at the end of the day (from ``created_at``/``closed_at``/
   ``due_date``, so a past day can be re-run), and the closed-case figures from
   that day's facts.
3. The closed-case figures of every other day whose facts it moved or changed,
   so each closed case is counted once, on the day it last closed.
4. The week of every day it wrote (``ServiceWeekStats``), summed again from its
   days, so a week always equals its days.
5. The day's logged interactions that did not open a case, per channel
   (``InteractionDayStats``), for the channel-shift report.

A "day" is a calendar day in ``TIME_ZONE`` (Europe/London).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from services.enums import CLOSED_STATUSES, INTERACTION_CHANNELS, InteractionOutcome
from services.models import (
    Case,
    CaseSatisfaction,
    ClosedCaseFact,
    Interaction,
    InteractionDayStats,
    ServiceDayStats,
    ServiceWeekStats,
)
from services.models.reports import BUCKET_FIELDS, bucket_for

REPEAT_WINDOW_DAYS = 90
DIMENSIONS = ("service_id", "team_id", "ward_id", "channel")
CASE_SIDE = ("opened", "repeats", "open_at_end", "overdue_at_end")
CLOSED_SIDE = (
    "closed",
    "sla_due",
    "sla_met",
    "satisfied",
    "dissatisfied",
    *BUCKET_FIELDS,
)


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return start, end


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _update_facts(day: datetime.date) -> set[datetime.date]:
    """Write the day's facts; return the other days whose facts changed."""
    start, end = day_bounds(day)
    touched: set[datetime.date] = set()
    closed = list(
        Case.objects.filter(
            closed_at__gte=start, closed_at__lt=end, status__in=CLOSED_STATUSES
        )
        .order_by()
        .values(
            "pk",
            *DIMENSIONS,
            "created_at",
            "closed_at",
            "due_date",
            "satisfaction__answer",
        )
    )
    ids = [row["pk"] for row in closed]
    touched.update(
        ClosedCaseFact.objects.filter(case_id__in=ids)
        .exclude(day=day)
        .values_list("day", flat=True)
        .distinct()
    )
    # Facts of this day whose case no longer closed on it (reopened, or closed
    # again later: then the later day's roll-up owns it).
    ClosedCaseFact.objects.filter(day=day).exclude(case_id__in=ids).delete()
    facts = [
        ClosedCaseFact(
            case_id=row["pk"],
            day=day,
            service_id=row["service_id"],
            team_id=row["team_id"],
            ward_id=row["ward_id"],
            channel=row["channel"],
            days_to_close=max(
                0, (_local_date(row["closed_at"]) - _local_date(row["created_at"])).days
            ),
            sla_met=(None if row["due_date"] is None else day <= row["due_date"]),
            satisfaction=row["satisfaction__answer"] or "",
        )
        for row in closed
    ]
    ClosedCaseFact.objects.bulk_create(
        facts,
        update_conflicts=True,
        unique_fields=["case"],
        update_fields=[
            "day",
            "service",
            "team",
            "ward",
            "channel",
            "days_to_close",
            "sla_met",
            "satisfaction",
        ],
        batch_size=2000,
    )
    # Cases open again: their facts go, wherever they were.
    reopened = ClosedCaseFact.objects.filter(
        case__in=Case.objects.open().order_by().values("pk")
    )
    touched.update(reopened.values_list("day", flat=True).distinct())
    reopened.delete()
    # Satisfaction answered today, for cases that closed on an earlier day.
    for answer in ("yes", "no"):
        answered = ClosedCaseFact.objects.filter(
            case__in=CaseSatisfaction.objects.filter(
                created_at__gte=start, created_at__lt=end, answer=answer
            ).values("case_id")
        ).exclude(satisfaction=answer)
        touched.update(answered.values_list("day", flat=True).distinct())
        answered.update(satisfaction=answer)
    touched.discard(day)
    return touched


def _case_side(day: datetime.date) -> dict[tuple, dict[str, int]]:
    start, end = day_bounds(day)
    groups: dict[tuple, dict[str, int]] = defaultdict(dict)
    earlier = Case.objects.filter(
        service_id=OuterRef("service_id"),
        uprn=OuterRef("uprn"),
        created_at__lt=OuterRef("created_at"),
        created_at__gte=OuterRef("created_at")
        - datetime.timedelta(days=REPEAT_WINDOW_DAYS),
    )
    opened = (
        Case.objects.filter(created_at__gte=start, created_at__lt=end)
        .order_by()
        .values(*DIMENSIONS)
        .annotate(
            opened=Count("pk"),
            repeats=Count("pk", filter=Q(Exists(earlier)) & ~Q(uprn="")),
        )
    )
    for row in opened:
        key = tuple(row[d] for d in DIMENSIONS)
        groups[key]["opened"] = row["opened"]
        groups[key]["repeats"] = row["repeats"]
    open_at_end = (
        Case.objects.filter(created_at__lt=end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end))
        # A case closed without a closing time (imported) is not open.
        .exclude(Q(closed_at__isnull=True) & Q(status__in=CLOSED_STATUSES))
        .order_by()
        .values(*DIMENSIONS)
        .annotate(
            open_at_end=Count("pk"),
            overdue_at_end=Count("pk", filter=Q(due_date__lt=day)),
        )
    )
    for row in open_at_end:
        key = tuple(row[d] for d in DIMENSIONS)
        groups[key]["open_at_end"] = row["open_at_end"]
        groups[key]["overdue_at_end"] = row["overdue_at_end"]
    return groups


def _closed_side(day: datetime.date) -> dict[tuple, dict[str, int]]:
    groups: dict[tuple, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(CLOSED_SIDE, 0)
    )
    rows = (
        ClosedCaseFact.objects.filter(day=day)
        .order_by()
        .values(*DIMENSIONS, "days_to_close", "sla_met", "satisfaction")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        figures = groups[tuple(row[d] for d in DIMENSIONS)]
        n = row["n"]
        figures["closed"] += n
        figures[bucket_for(row["days_to_close"])] += n
        if row["sla_met"] is not None:
            figures["sla_due"] += n
            figures["sla_met"] += n if row["sla_met"] else 0
        if row["satisfaction"] == "yes":
            figures["satisfied"] += n
        elif row["satisfaction"] == "no":
            figures["dissatisfied"] += n
    return groups


def _replace(day: datetime.date, closed_side: dict, case_side: dict | None) -> None:
    """Replace the day's rows: the case-side figures given (or those already
    there, when ``None``) with ``closed_side``. A delete and one bulk insert."""
    rows: dict[tuple, dict[str, int]] = {}
    if case_side is None:
        for row in ServiceDayStats.objects.filter(day=day).values(
            *DIMENSIONS, *CASE_SIDE
        ):
            key = tuple(row[d] for d in DIMENSIONS)
            rows[key] = {name: row[name] for name in CASE_SIDE}
    else:
        rows = {key: dict(figures) for key, figures in case_side.items()}
    for key, figures in closed_side.items():
        rows.setdefault(key, {}).update(figures)
    ServiceDayStats.objects.filter(day=day).delete()
    ServiceDayStats.objects.bulk_create(
        [
            ServiceDayStats(
                day=day, **dict(zip(DIMENSIONS, key, strict=True)), **figures
            )
            for key, figures in rows.items()
            if any(figures.values())  # rows with nothing in them are noise
        ],
        batch_size=1000,
    )


@transaction.atomic
def rollup_day(day: datetime.date) -> dict[str, int]:
    """Recompute ``day`` (and the closed figures of days whose facts moved)."""
    touched = _update_facts(day)
    _replace(day, _closed_side(day), _case_side(day))
    for other in sorted(touched):
        _replace(other, _closed_side(other), None)
    for monday in sorted({week_of(d) for d in {day, *touched}}):
        replace_week(monday)
    _replace_interactions(day)
    return {
        "rows": ServiceDayStats.objects.filter(day=day).count(),
        "other_days": len(touched),
    }


def week_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


WEEK_SUMMED = ("opened", "repeats", *CLOSED_SIDE)


def replace_week(monday: datetime.date) -> None:
    """The week starting ``monday`` summed from its day rows (one query to read,
    a delete and one insert)."""
    rows = (
        ServiceDayStats.objects.filter(
            day__gte=monday, day__lte=monday + datetime.timedelta(days=6)
        )
        .order_by()
        .values(*DIMENSIONS)
        .annotate(**{f"sum_{name}": Sum(name) for name in WEEK_SUMMED})
    )
    ServiceWeekStats.objects.filter(week=monday).delete()
    ServiceWeekStats.objects.bulk_create(
        [
            ServiceWeekStats(
                week=monday,
                **{d: row[d] for d in DIMENSIONS},
                **{name: row[f"sum_{name}"] or 0 for name in WEEK_SUMMED},
            )
            for row in rows
            if any(row[f"sum_{name}"] for name in WEEK_SUMMED)
        ],
        batch_size=1000,
    )


def _replace_interactions(day: datetime.date) -> None:
    """The day's interactions per channel. One that opened a case is left out:
    the case is the contact, counted under its own channel."""
    start, end = day_bounds(day)
    counts: dict[str, int] = defaultdict(int)
    for row in (
        Interaction.objects.filter(created_at__gte=start, created_at__lt=end)
        .exclude(outcome=InteractionOutcome.CASE_OPENED)
        .order_by()
        .values("channel")
        .annotate(n=Count("pk"))
    ):
        channel = INTERACTION_CHANNELS.get(row["channel"])
        if channel:
            counts[channel] += row["n"]
    InteractionDayStats.objects.filter(day=day).delete()
    InteractionDayStats.objects.bulk_create(
        [InteractionDayStats(day=day, channel=c, contacts=n) for c, n in counts.items()]
    )


def rollup_range(first: datetime.date, last: datetime.date) -> int:
    """Roll up every day from ``first`` to ``last`` inclusive, oldest first."""
    days = 0
    day = first
    while day <= last:
        rollup_day(day)
        day += datetime.timedelta(days=1)
        days += 1
    return days


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)
