"""The daily roll-up: hand-counted figures, re-runs, and cases that change after
their day was rolled up."""

import datetime

from django.core.management import CommandError, call_command
from django.db.models import Sum

import pytest

from services.enums import CaseStatus
from services.models import ClosedCaseFact, ServiceDayStats
from services.reports.rollup import rollup_day, rollup_range
from tests.services.report_fixtures import D1, D2, D3, at, satisfied

pytestmark = pytest.mark.django_db


def day_totals(day):
    return ServiceDayStats.objects.filter(day=day).aggregate(
        **{
            name: Sum(name)
            for name in (
                "opened",
                "repeats",
                "open_at_end",
                "overdue_at_end",
                "closed",
                "sla_due",
                "sla_met",
                "satisfied",
                "dissatisfied",
            )
        }
    )


def snapshot():
    return sorted(
        ServiceDayStats.objects.values_list(
            "day",
            "service_id",
            "channel",
            "opened",
            "closed",
            "open_at_end",
            "overdue_at_end",
            "satisfied",
            "dissatisfied",
            "sla_met",
        )
    )


def test_each_day_holds_the_hand_counted_figures(reported_cases):
    rollup_range(D1, D3)
    assert day_totals(D1) == {
        "opened": 3,
        "repeats": 1,
        "open_at_end": 4,
        "overdue_at_end": 0,
        "closed": 0,
        "sla_due": 0,
        "sla_met": 0,
        "satisfied": 0,
        "dissatisfied": 0,
    }
    assert day_totals(D2) == {
        "opened": 1,
        "repeats": 0,
        "open_at_end": 2,
        "overdue_at_end": 1,
        "closed": 3,
        "sla_due": 2,
        "sla_met": 2,
        "satisfied": 1,
        "dissatisfied": 0,
    }
    assert day_totals(D3) == {
        "opened": 0,
        "repeats": 0,
        "open_at_end": 1,
        "overdue_at_end": 1,
        "closed": 1,
        "sla_due": 1,
        "sla_met": 0,
        "satisfied": 0,
        "dissatisfied": 1,
    }
    phone = ServiceDayStats.objects.get(day=D1, channel="phone")
    assert (phone.opened, phone.repeats) == (1, 1)
    street = ServiceDayStats.objects.get(day=D2, channel="face_to_face")
    assert street.ward.name == "Abbey" and street.closed_in_0d == 1


def test_rolling_a_day_up_again_gives_the_same_figures(reported_cases):
    rollup_range(D1, D3)
    first = snapshot()
    rollup_range(D1, D3)
    rollup_day(D2)
    assert snapshot() == first
    assert ClosedCaseFact.objects.count() == 4


def test_a_case_reopened_and_closed_again_later_is_counted_once(reported_cases):
    rollup_range(D1, D3)
    street_case = reported_cases["D"]
    # Reopened and closed again the next day, after D2 was rolled up.
    street_case.status = CaseStatus.IN_PROGRESS
    street_case.closed_at = None
    street_case.save()
    street_case.status = CaseStatus.CLOSED
    street_case.closed_at = at(D3, 15)
    street_case.save()
    rollup_day(D3)
    closed = ServiceDayStats.objects.filter(day__range=(D1, D3)).aggregate(
        n=Sum("closed")
    )["n"]
    assert closed == 4
    assert day_totals(D2)["closed"] == 2 and day_totals(D3)["closed"] == 2
    # Re-running the earlier day does not bring it back there.
    rollup_day(D2)
    assert day_totals(D2)["closed"] == 2
    assert ClosedCaseFact.objects.get(case=street_case).days_to_close == 1


def test_a_case_reopened_after_its_day_is_no_longer_counted_closed(reported_cases):
    rollup_range(D1, D3)
    case = reported_cases["D"]
    case.status, case.closed_at = CaseStatus.IN_PROGRESS, None
    case.save()
    rollup_day(D3)
    assert day_totals(D2)["closed"] == 2
    assert not ClosedCaseFact.objects.filter(case=case).exists()


def test_a_satisfaction_answer_given_later_counts_on_the_day_the_case_closed(
    reported_cases,
):
    reported_cases["A"].satisfaction.delete()
    rollup_range(D1, D2)
    assert day_totals(D2)["satisfied"] == 0
    satisfied(reported_cases["A"], "yes", D3)
    rollup_day(D3)
    assert day_totals(D2)["satisfied"] == 1
    assert day_totals(D3)["satisfied"] == 0


def test_the_command_rolls_up_one_day_or_a_range(reported_cases, capsys):
    call_command("rollup_reports", "--day", D2.isoformat())
    assert day_totals(D2)["closed"] == 3 and not day_totals(D1)["opened"]
    call_command("rollup_reports", "--from", D1.isoformat(), "--to", D3.isoformat())
    assert day_totals(D1)["opened"] == 3
    assert "Rolled up 3 days" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("rollup_reports", "--day", "2-11-2026")
    with pytest.raises(CommandError):
        call_command("rollup_reports", "--from", D3.isoformat(), "--to", D1.isoformat())
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(CommandError):
        call_command("rollup_reports", "--day", tomorrow.isoformat())


def test_the_beat_task_rolls_up_yesterday_and_today(bin_service, time_machine):
    from services.tasks import rollup_reports
    from tests.services.report_fixtures import make_case

    time_machine.move_to(at(D3, 12))
    make_case("BIN-Z", bin_service, created=at(D2, 9))
    make_case("BIN-Y", bin_service, created=at(D3, 9))
    rollup_reports.delay()
    assert day_totals(D2)["opened"] == 1 and day_totals(D3)["opened"] == 1


def week_matches_its_days(monday):
    from services.models import ServiceWeekStats
    from services.reports.rollup import WEEK_SUMMED

    sunday = monday + datetime.timedelta(days=6)
    days = ServiceDayStats.objects.filter(day__gte=monday, day__lte=sunday)
    weeks = ServiceWeekStats.objects.filter(week=monday)
    sums = {name: Sum(name) for name in WEEK_SUMMED}

    def totals(queryset):
        # A week of days holding only open cases has no week row: None is 0.
        return {k: v or 0 for k, v in queryset.aggregate(**sums).items()}

    return totals(days) == totals(weeks)


def test_each_week_equals_its_days_after_every_roll_up(reported_cases):
    from services.models import ServiceWeekStats

    monday = D1  # D1 is a Monday
    rollup_range(D1 - datetime.timedelta(days=8), D3)
    assert ServiceWeekStats.objects.filter(week=monday).aggregate(n=Sum("opened"))[
        "n"
    ] == (4)  # A, B, C and D
    assert week_matches_its_days(monday)
    assert week_matches_its_days(monday - datetime.timedelta(days=7))
    # A closes again two days later: the week follows its days.
    case = reported_cases["A"]
    case.status = CaseStatus.CLOSED
    case.closed_at = at(D3 + datetime.timedelta(days=2), 9)
    case.save()
    rollup_day(D3 + datetime.timedelta(days=2))
    assert week_matches_its_days(monday)
    assert (
        ServiceWeekStats.objects.filter(week=monday).aggregate(n=Sum("closed"))["n"]
        == ServiceDayStats.objects.filter(
            day__gte=monday, day__lte=monday + datetime.timedelta(days=6)
        ).aggregate(n=Sum("closed"))["n"]
    )


def test_whole_weeks_inside_a_period():
    from services.reports.queries import whole_weeks

    monday = datetime.date(2026, 11, 2)
    sunday = monday + datetime.timedelta(days=6)
    assert whole_weeks(monday, sunday) == (monday, monday)
    assert whole_weeks(monday + datetime.timedelta(days=1), sunday) is None
    assert whole_weeks(
        monday - datetime.timedelta(days=2), sunday + datetime.timedelta(days=3)
    ) == (
        monday,
        monday,
    )
    assert whole_weeks(monday, sunday + datetime.timedelta(days=7)) == (
        monday,
        monday + datetime.timedelta(days=7),
    )


def test_a_period_of_whole_and_part_weeks_counts_each_case_once(reported_cases):
    """Saturday 24 October to Thursday 12 November: the part-weeks at either end
    come from the days, the two whole weeks between from the weeks."""
    from services.reports import queries

    rollup_range(D1 - datetime.timedelta(days=10), D3 + datetime.timedelta(days=9))
    start = D1 - datetime.timedelta(days=9)
    end = D3 + datetime.timedelta(days=8)
    report = queries.service_report(queries.Filters(start=start, end=end))
    # Opened: E (Sunday 25 October, a part-week), A, B, C, D (the week of D1).
    assert report.total.opened == 5
    assert report.total.closed == 4  # A, C, D and E
    trend = {week.start: (week.opened, week.closed) for week in report.weeks}
    assert trend == {
        D1 - datetime.timedelta(days=14): (1, 0),
        D1 - datetime.timedelta(days=7): (0, 0),
        D1: (4, 4),
        D1 + datetime.timedelta(days=7): (0, 0),
    }
