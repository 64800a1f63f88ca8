"""The one place report figures are worked out: the pages, the charts, the CSV
downloads and the weekly email all read these functions, so a number is computed
the same way wherever it is shown.

Everything reads the roll-up tables (``services.models.reports``), never the
cases themselves, in a fixed number of queries whatever the period or the data.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import Group
from django.db.models import Max, Sum
from django.db.models.functions import TruncWeek

from personalisation.models import Ward
from services.enums import SELF_SERVICE_CHANNELS, Channel
from services.models import (
    ChannelCosts,
    InteractionDayStats,
    JourneyStepCount,
    ServiceDayStats,
    ServiceDefinition,
    ServiceWeekStats,
)
from services.models.reports import BUCKET_FIELDS, CLOSE_DAY_BUCKETS

SUMMED = (
    "opened",
    "closed",
    "repeats",
    "sla_due",
    "sla_met",
    "satisfied",
    "dissatisfied",
    *BUCKET_FIELDS,
)
GROUPINGS = {
    "service": ("service_id", "Service"),
    "team": ("team_id", "Team"),
    "ward": ("ward_id", "Ward"),
    "channel": ("channel", "Channel"),
}
SELF_SERVICE = SELF_SERVICE_CHANNELS


@dataclass(frozen=True)
class Filters:
    start: datetime.date
    end: datetime.date
    service: int | None = None
    team: int | None = None
    ward: int | None = None
    channel: str = ""
    by: str = "service"

    def apply(self, queryset):
        queryset = queryset.filter(day__gte=self.start, day__lte=self.end)
        return self.narrow(queryset)

    @property
    def narrowed_to_cases(self) -> bool:
        """A service, team or ward filter: logged interactions have none of these,
        so the channel-shift report counts cases alone."""
        return bool(self.service or self.team or self.ward)

    def narrow(self, queryset):
        if self.service:
            queryset = queryset.filter(service_id=self.service)
        if self.team:
            queryset = queryset.filter(team_id=self.team)
        if self.ward:
            queryset = queryset.filter(ward_id=self.ward)
        if self.channel:
            queryset = queryset.filter(channel=self.channel)
        return queryset


def percent(part: int, whole: int) -> str:
    if not whole:
        return "–"
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(
        Decimal("1"), rounding=ROUND_HALF_UP
    )
    return f"{value}%"


def percentile_label(buckets: list[int], q: float) -> str:
    """The ``q`` quantile of time to close in days, by the nearest-rank method,
    from the histogram: a number of days, or the bucket's range once past a
    fortnight ("15–20", "180 or more")."""
    total = sum(buckets)
    if not total:
        return "–"
    rank = max(1, math.ceil(q * total))
    running = 0
    for (lower, upper), count in zip(CLOSE_DAY_BUCKETS, buckets, strict=True):
        running += count
        if running >= rank:
            if upper is None:
                return f"{lower} or more"
            return str(lower) if lower == upper else f"{lower}–{upper}"
    return "–"


@dataclass
class Figures:
    label: str = ""
    opened: int = 0
    closed: int = 0
    repeats: int = 0
    open_at_end: int = 0
    overdue_at_end: int = 0
    sla_due: int = 0
    sla_met: int = 0
    satisfied: int = 0
    dissatisfied: int = 0
    buckets: list[int] = field(default_factory=lambda: [0] * len(BUCKET_FIELDS))

    def add_row(self, row: dict) -> None:
        for name in SUMMED:
            if name in BUCKET_FIELDS:
                continue
            setattr(self, name, getattr(self, name) + (row.get(name) or 0))
        for i, name in enumerate(BUCKET_FIELDS):
            self.buckets[i] += row.get(name) or 0
        self.open_at_end += row.get("open_at_end") or 0
        self.overdue_at_end += row.get("overdue_at_end") or 0

    def add(self, other: Figures) -> None:
        data = {
            name: getattr(other, name) for name in SUMMED if name not in BUCKET_FIELDS
        }
        data |= dict(zip(BUCKET_FIELDS, other.buckets, strict=True))
        data |= {
            "open_at_end": other.open_at_end,
            "overdue_at_end": other.overdue_at_end,
        }
        self.add_row(data)

    @property
    def sla_met_percent(self) -> str:
        return percent(self.sla_met, self.sla_due)

    @property
    def satisfied_percent(self) -> str:
        return percent(self.satisfied, self.satisfied + self.dissatisfied)

    @property
    def median_days(self) -> str:
        return percentile_label(self.buckets, 0.5)

    @property
    def p90_days(self) -> str:
        return percentile_label(self.buckets, 0.9)

    def cells(self) -> list[str]:
        return [
            self.label,
            str(self.opened),
            str(self.closed),
            str(self.open_at_end),
            str(self.overdue_at_end),
            self.sla_met_percent,
            self.median_days,
            self.p90_days,
            self.satisfied_percent,
            str(self.satisfied + self.dissatisfied),
            str(self.repeats),
        ]


FIGURE_HEADERS = [
    "Opened",
    "Closed",
    "Open at end of period",
    "Overdue at end of period",
    "SLA met",
    "Median days to close",
    "90th percentile days to close",
    "Satisfied",
    "Satisfaction answers",
    "Repeat reports",
]


@dataclass
class Week:
    start: datetime.date
    opened: int = 0
    closed: int = 0

    @property
    def label(self) -> str:
        return self.start.strftime("%-d %b %Y")


@dataclass
class ServiceReport:
    filters: Filters
    rows: list[Figures]
    total: Figures
    weeks: list[Week]
    as_of: datetime.date | None

    def table(self) -> tuple[list[str], list[list[str]]]:
        """The figures table: the page shows it, the CSV is it."""
        header = [GROUPINGS[self.filters.by][1], *FIGURE_HEADERS]
        return header, [row.cells() for row in self.rows] + [self.total.cells()]

    def trend_table(self) -> tuple[list[str], list[list[str]]]:
        header = ["Week starting", "Opened", "Closed"]
        return header, [[w.label, str(w.opened), str(w.closed)] for w in self.weeks]


def _labels(by: str, keys) -> dict:
    keys = [k for k in keys if k is not None]
    if by == "service":
        return dict(
            ServiceDefinition.objects.filter(pk__in=keys).values_list("pk", "name")
        )
    if by == "team":
        return dict(Group.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "ward":
        return dict(Ward.objects.filter(pk__in=keys).values_list("pk", "name"))
    return {value: label for value, label in Channel.choices}


def _weeks_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    monday = start - datetime.timedelta(days=start.weekday())
    weeks = []
    while monday <= end:
        weeks.append(monday)
        monday += datetime.timedelta(days=7)
    return weeks


def whole_weeks(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.date, datetime.date] | None:
    """The first and last Mondays of the weeks (Monday to Sunday) lying wholly
    inside ``start``–``end``, or None when there is none."""
    first = start + datetime.timedelta(days=(7 - start.weekday()) % 7)
    last_sunday = end - datetime.timedelta(days=(end.weekday() + 1) % 7)
    last = last_sunday - datetime.timedelta(days=6)
    return (first, last) if first <= last else None


def weekly_sums(filters: Filters, column: str, names) -> list[dict]:
    """Sums of ``names`` per week and ``column`` over the period: the whole weeks
    from ``ServiceWeekStats`` and the days of the part-weeks at either end from
    ``ServiceDayStats`` (2 queries, or 1 without a whole week). Rows may repeat a
    (week, column) pair: the part of a week from days and none from weeks never
    overlap, and callers add rows up."""
    sums = {n: Sum(n) for n in names}
    days = filters.apply(ServiceDayStats.objects.order_by())
    weeks = whole_weeks(filters.start, filters.end)
    rows: list[dict] = []
    if weeks:
        first, last = weeks
        rows += list(
            filters.narrow(
                ServiceWeekStats.objects.order_by().filter(
                    week__gte=first, week__lte=last
                )
            )
            .values("week", column)
            .annotate(**sums)
        )
        days = days.exclude(day__gte=first, day__lte=last + datetime.timedelta(days=6))
    rows += list(
        days.annotate(week=TruncWeek("day")).values("week", column).annotate(**sums)
    )
    return rows


def service_report(filters: Filters) -> ServiceReport:
    """Figures per service (or team, ward or channel) for the period: 5 queries."""
    column = GROUPINGS[filters.by][0]
    groups: dict = {}
    weekly: dict[datetime.date, list[int]] = {}
    # One pass over the period's rows, by week and group: the figures table sums
    # the weeks, the trend sums the groups.
    for row in weekly_sums(filters, column, SUMMED):
        groups.setdefault(row[column], Figures()).add_row(row)
        week = weekly.setdefault(row["week"], [0, 0])
        week[0] += row["opened"] or 0
        week[1] += row["closed"] or 0
    # Open and overdue "now": the last rolled-up day of the period.
    as_of = ServiceDayStats.objects.filter(
        day__lte=filters.end, day__gte=filters.start
    ).aggregate(last=Max("day"))["last"]
    if as_of is not None:
        at_end = (
            filters.narrow(ServiceDayStats.objects.order_by().filter(day=as_of))
            .values(column)
            .annotate(
                open_at_end=Sum("open_at_end"), overdue_at_end=Sum("overdue_at_end")
            )
        )
        for row in at_end:
            groups.setdefault(row[column], Figures()).add_row(row)
    labels = _labels(filters.by, groups)
    rows = []
    for key, figures in groups.items():
        figures.label = str(labels.get(key, "Not recorded"))
        rows.append(figures)
    rows.sort(key=lambda f: f.label.lower())
    total = Figures(label="All")
    for figures in rows:
        total.add(figures)
    weeks = []
    for monday in _weeks_between(filters.start, filters.end):
        opened, closed = weekly.get(monday, (0, 0))
        weeks.append(Week(monday, opened, closed))
    return ServiceReport(filters, rows, total, weeks, as_of)


# -- channel shift -------------------------------------------------------------------


def _money(value: Decimal) -> str:
    value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "−" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


@dataclass
class ChannelShift:
    filters: Filters
    baseline: tuple[datetime.date, datetime.date]
    channels: list[tuple[str, str]]  # (value, label)
    weeks: list[tuple[datetime.date, dict[str, int]]]
    period: dict[str, int]
    before: dict[str, int]
    costs: dict[str, Decimal]

    @property
    def total(self) -> int:
        return sum(self.period.values())

    @property
    def baseline_total(self) -> int:
        return sum(self.before.values())

    def self_service_share(self, counts: dict[str, int]) -> str:
        return percent(
            sum(counts.get(c, 0) for c in SELF_SERVICE), sum(counts.values())
        )

    def cost(self, counts: dict[str, int]) -> Decimal:
        return sum(
            (self.costs[c] * counts.get(c, 0) for c, _ in self.channels), Decimal("0")
        )

    @property
    def baseline_cost_per_contact(self) -> Decimal | None:
        if not self.baseline_total:
            return None
        return self.cost(self.before) / self.baseline_total

    @property
    def saving(self) -> Decimal | None:
        """What the period's contacts would have cost with the baseline's mix of
        channels, less what they cost with the mix they came in."""
        per_contact = self.baseline_cost_per_contact
        if per_contact is None:
            return None
        return per_contact * self.total - self.cost(self.period)

    def summary_table(self) -> tuple[list[str], list[list[str]]]:
        header = [
            "Channel",
            "Cost per contact",
            "Baseline contacts",
            "Baseline share",
            "Contacts",
            "Share",
            "Cost",
        ]
        rows = [
            [
                label,
                _money(self.costs[value]),
                str(self.before.get(value, 0)),
                percent(self.before.get(value, 0), self.baseline_total),
                str(self.period.get(value, 0)),
                percent(self.period.get(value, 0), self.total),
                _money(self.costs[value] * self.period.get(value, 0)),
            ]
            for value, label in self.channels
        ]
        rows.append(
            [
                "All",
                "",
                str(self.baseline_total),
                "100%" if self.baseline_total else "–",
                str(self.total),
                "100%" if self.total else "–",
                _money(self.cost(self.period)),
            ]
        )
        return header, rows

    def trend_table(self) -> tuple[list[str], list[list[str]]]:
        header = [
            "Week starting",
            *(label for _, label in self.channels),
            "Self-service",
        ]
        rows = [
            [
                monday.strftime("%-d %b %Y"),
                *(str(counts.get(value, 0)) for value, _ in self.channels),
                self.self_service_share(counts),
            ]
            for monday, counts in self.weeks
        ]
        return header, rows

    @property
    def self_service_text(self) -> str:
        return self.self_service_share(self.period)

    @property
    def costs_text(self) -> str:
        return ", ".join(
            f"{label.lower()} {_money(self.costs[value])}"
            for value, label in self.channels
        )

    @property
    def saving_text(self) -> str:
        return "–" if self.saving is None else _money(self.saving)

    @property
    def baseline_cost_per_contact_text(self) -> str:
        per = self.baseline_cost_per_contact
        return "–" if per is None else _money(per)

    @property
    def cost_per_contact_text(self) -> str:
        return "–" if not self.total else _money(self.cost(self.period) / self.total)


def default_baseline(filters: Filters) -> tuple[datetime.date, datetime.date]:
    """The same dates a year earlier."""
    days = datetime.timedelta(days=364)
    return filters.start - days, filters.end - days


def channel_shift(
    filters: Filters, baseline: tuple[datetime.date, datetime.date] | None = None
) -> ChannelShift:
    """Contacts by channel per week, against a baseline: cases opened, plus the
    logged interactions that did not open a case unless the filters name a
    service, team or ward (interactions have none). 6 queries."""
    baseline = baseline or default_baseline(filters)
    costs_setting = ChannelCosts.load()
    channels = list(Channel.choices)
    costs = {value: costs_setting.cost_for(value) for value, _ in channels}
    by_week: dict[datetime.date, dict[str, int]] = {}
    period: dict[str, int] = {}
    for row in weekly_sums(filters, "channel", ("opened",)):
        counts = by_week.setdefault(row["week"], {})
        n = row["opened"] or 0
        counts[row["channel"]] = counts.get(row["channel"], 0) + n
        period[row["channel"]] = period.get(row["channel"], 0) + n
    before = {
        row["channel"]: row["n"] or 0
        for row in filters.narrow(
            ServiceDayStats.objects.order_by().filter(
                day__gte=baseline[0], day__lte=baseline[1]
            )
        )
        .values("channel")
        .annotate(n=Sum("opened"))
    }
    if not filters.narrowed_to_cases:
        interactions = InteractionDayStats.objects.order_by()
        if filters.channel:
            interactions = interactions.filter(channel=filters.channel)
        for row in (
            interactions.filter(day__gte=filters.start, day__lte=filters.end)
            .annotate(week=TruncWeek("day"))
            .values("week", "channel")
            .annotate(n=Sum("contacts"))
        ):
            counts = by_week.setdefault(row["week"], {})
            counts[row["channel"]] = counts.get(row["channel"], 0) + row["n"]
            period[row["channel"]] = period.get(row["channel"], 0) + row["n"]
        for row in (
            interactions.filter(day__gte=baseline[0], day__lte=baseline[1])
            .values("channel")
            .annotate(n=Sum("contacts"))
        ):
            before[row["channel"]] = before.get(row["channel"], 0) + row["n"]
    weeks = [
        (m, by_week.get(m, {})) for m in _weeks_between(filters.start, filters.end)
    ]
    return ChannelShift(filters, baseline, channels, weeks, period, before, costs)


# -- where residents give up ------------------------------------------------------


@dataclass
class JourneyFunnel:
    page_id: int
    block_id: str
    title: str
    steps: list[str]  # in the order residents meet them
    # {week: {step: views}}, plus check answers reached and submitted per week
    weeks: list[tuple[datetime.date, dict[str, int], int, int]]
    errors: list[tuple[str, str, str, int]]  # (step, field, message, times)

    def table(self) -> tuple[list[str], list[list[str]]]:
        header = ["Week starting", *self.steps, "Check answers", "Submitted"]
        rows = [
            [
                monday.strftime("%-d %b %Y"),
                *(str(views.get(step, 0)) for step in self.steps),
                str(check),
                str(submitted),
            ]
            for monday, views, check, submitted in self.weeks
        ]
        return header, rows

    def error_table(self) -> tuple[list[str], list[list[str]]]:
        header = ["Step", "Question", "Message", "Times shown"]
        return header, [[s, f, m, str(n)] for s, f, m, n in self.errors]


def journey_funnels(start: datetime.date, end: datetime.date) -> list[JourneyFunnel]:
    """Per journey, per week: step views, check answers reached, submissions, and
    the errors shown most: 2 queries."""
    from wagtail.models import Page

    counts = (
        JourneyStepCount.objects.filter(day__gte=start, day__lte=end)
        .order_by()
        .annotate(week=TruncWeek("day"))
        .values("page_id", "block_id", "step", "event", "field", "message", "week")
        .annotate(n=Sum("count"))
    )
    journeys: dict[tuple[int, str], dict] = {}
    for row in counts:
        key = (row["page_id"], row["block_id"])
        journey = journeys.setdefault(
            key, {"steps": [], "weeks": {}, "errors": {}, "first_seen": {}}
        )
        week = journey["weeks"].setdefault(
            row["week"], {"views": {}, "check": 0, "submitted": 0}
        )
        if row["event"] == "view":
            if row["step"] not in journey["steps"]:
                journey["steps"].append(row["step"])
            week["views"][row["step"]] = week["views"].get(row["step"], 0) + row["n"]
        elif row["event"] == "check":
            week["check"] += row["n"]
        elif row["event"] == "submitted":
            week["submitted"] += row["n"]
        elif row["event"] == "error":
            error_key = (row["step"], row["field"], row["message"])
            journey["errors"][error_key] = (
                journey["errors"].get(error_key, 0) + row["n"]
            )
    titles = dict(
        Page.objects.filter(pk__in=[k[0] for k in journeys]).values_list("pk", "title")
    )
    funnels = []
    mondays = _weeks_between(start, end)
    for (page_id, block_id), data in journeys.items():
        # Steps in the order most people reach them: more views come earlier.
        totals = {
            step: sum(w["views"].get(step, 0) for w in data["weeks"].values())
            for step in data["steps"]
        }
        steps = sorted(data["steps"], key=lambda s: (-totals[s], s))
        weeks = [
            (
                m,
                data["weeks"].get(m, {}).get("views", {}),
                data["weeks"].get(m, {}).get("check", 0),
                data["weeks"].get(m, {}).get("submitted", 0),
            )
            for m in mondays
        ]
        errors = sorted(
            ((s, f, msg, n) for (s, f, msg), n in data["errors"].items()),
            key=lambda e: (-e[3], e[0], e[1], e[2]),
        )
        funnels.append(
            JourneyFunnel(
                page_id,
                block_id,
                titles.get(page_id, "A deleted page"),
                steps,
                weeks,
                errors,
            )
        )
    funnels.sort(key=lambda f: (f.title.lower(), f.block_id))
    return funnels
