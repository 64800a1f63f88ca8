"""The weekly query report: counted without personal data, flushed from the cache."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.cache import cache

import pytest
import time_machine

from search import querylog
from search.models import QueryWeek


def at(year: int, month: int, day: int) -> datetime:
    """Midday in the council's time zone: far from any day's or week's edge."""
    return datetime(year, month, day, 12, tzinfo=ZoneInfo("Europe/London"))


@pytest.mark.parametrize(
    "raw, logged",
    [
        ("  Missed   BIN ", "missed bin"),
        ("email jo.bloggs@example.com about bins", "email [email] about bins"),
        ("bin collection GH1 1AA", "bin collection [postcode]"),
        ("call me on 07700 900123", "call me on [number]"),
        ("council tax account 12345678", "council tax account [number]"),
        ("council tax 2026", "council tax 2026"),
        ("x" * 500, "x" * 100),
        ("bins\x00\x1f", "bins"),
    ],
)
def test_queries_are_normalised_and_personal_data_redacted(raw, logged):
    assert querylog.normalise_for_log(raw) == logged


@pytest.mark.django_db
def test_flushing_adds_up_searches_empty_searches_and_clicks_by_week():
    # The clock stands still at midday, well inside each week and inside the
    # buffered entries' lifetime, whatever today's date is.
    with time_machine.travel(at(2026, 11, 28), tick=False) as clock:  # a Saturday
        querylog.record_search("Missed bin", 3)
        querylog.record_search("missed  bin", 3)
        querylog.record_search("zzz", 0)
        querylog.record_click("missed bin")
        clock.move_to(at(2026, 11, 30))  # the Monday after: a new week
        querylog.record_search("missed bin", 3)
        clock.shift(timedelta(minutes=5))
        assert querylog.flush() == 5
        assert querylog.flush() == 0  # nothing counted twice
        week = QueryWeek.objects.get(week=date(2026, 11, 23), query="missed bin")
        assert (week.searches, week.searches_without_results, week.clicks) == (2, 0, 1)
        empty = QueryWeek.objects.get(week=date(2026, 11, 23), query="zzz")
        assert (empty.searches, empty.searches_without_results) == (1, 1)
        this_week = QueryWeek.objects.get(week=date(2026, 11, 30))
        assert this_week.searches == 1
        # Later searches add to the same rows.
        querylog.record_search("missed bin", 1)
        clock.shift(timedelta(minutes=5))
        assert querylog.flush() == 1
    this_week.refresh_from_db()
    assert this_week.searches == 2


@pytest.mark.django_db
def test_the_stored_rows_hold_no_personal_data():
    fields = {field.name for field in QueryWeek._meta.get_fields()}
    assert fields == {
        "id",
        "week",
        "query",
        "searches",
        "searches_without_results",
        "clicks",
    }


@pytest.mark.django_db
def test_a_flush_already_running_elsewhere_is_not_repeated():
    querylog.record_search("bins", 1)
    cache.add(querylog.LOCK_KEY, 1)
    assert querylog.flush() == 0
    cache.delete(querylog.LOCK_KEY)
    assert querylog.flush() == 1


@pytest.mark.django_db
def test_the_report_groups_top_empty_and_unclicked_queries():
    week = date(2026, 11, 23)
    QueryWeek.objects.create(week=week, query="bins", searches=9, clicks=4)
    QueryWeek.objects.create(
        week=week, query="zzz", searches=3, searches_without_results=3
    )
    QueryWeek.objects.create(week=week, query="parking", searches=5, clicks=0)
    rows = QueryWeek.objects.for_week(week)
    assert [r.query for r in rows.top()] == ["bins", "parking", "zzz"]
    assert [r.query for r in rows.without_results()] == ["zzz"]
    assert [r.query for r in rows.not_clicked()] == ["parking"]
