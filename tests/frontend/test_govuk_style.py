"""Times, dates and money as the GOV.UK style guide writes them, in Python and in
templates."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.template import Context, Template

import pytest

from frontend.govuk_style import govuk_date, govuk_datetime, govuk_money, govuk_time

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("clock", "written"),
    [
        (datetime.time(14, 32), "2:32pm"),
        (datetime.time(9, 0), "9am"),
        (datetime.time(9, 5), "9:05am"),
        (datetime.time(0, 0), "midnight"),
        (datetime.time(12, 0), "midday"),
        (datetime.time(0, 30), "12:30am"),
        (datetime.time(12, 45), "12:45pm"),
        (datetime.time(23, 59), "11:59pm"),
    ],
)
def test_times_use_the_12_hour_clock_with_am_pm_midnight_and_midday(clock, written):
    assert govuk_time(clock) == written


def test_aware_times_are_shown_in_the_councils_time_zone():
    # 13:32 UTC in summer is 2:32pm in the UK; in winter the two agree.
    summer = datetime.datetime(2026, 7, 1, 13, 32, tzinfo=datetime.UTC)
    winter = datetime.datetime(2026, 12, 6, 14, 32, tzinfo=datetime.UTC)
    assert govuk_datetime(summer) == "1 July 2026 at 2:32pm"
    assert govuk_datetime(winter, short=True) == "6 Dec 2026, 2:32pm"


def test_dates_have_no_leading_zero_and_the_month_in_full():
    assert govuk_date(datetime.date(2027, 1, 4)) == "4 January 2027"
    assert govuk_date(datetime.date(2027, 1, 4), short=True) == "4 Jan 2027"
    assert govuk_date(None) == "" and govuk_datetime(None) == ""


@pytest.mark.parametrize(
    ("amount", "written"),
    [
        (Decimal("1602"), "£1,602.00"),
        (Decimal("1246.5"), "£1,246.50"),
        (Decimal("0.005"), "£0.01"),
        ("138.50", "£138.50"),
        (1234567.891, "£1,234,567.89"),
        (Decimal("-12.50"), "-£12.50"),
        (0, "£0.00"),
        (None, ""),
        ("not money", ""),
    ],
)
def test_money_has_the_pound_sign_thousands_commas_and_pence(amount, written):
    assert govuk_money(amount) == written


@pytest.mark.django_db
def test_the_template_filters_write_the_same(settings):
    template = Template(
        "{% load govuk %}{{ when|govuk_datetime }} | {{ when|govuk_time }} | "
        '{{ when|govuk_date:"short" }} | {{ amount|govuk_money }}'
    )
    when = datetime.datetime(2026, 12, 6, 0, 0, tzinfo=LONDON)
    html = template.render(Context({"when": when, "amount": Decimal("1602")}))
    assert html == "6 December 2026 at midnight | midnight | 6 Dec 2026 | £1,602.00"
