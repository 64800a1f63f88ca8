"""Times, dates and money written the way the GOV.UK style guide writes them.

- Times: the 12-hour clock with "am"/"pm" and no full stops or space ("9am",
  "2:32pm"), minutes only when there are some, and "midnight" and "midday" rather
  than "12am" and "12pm".
- Dates: "6 December 2026" (no leading zero, the month in full); "6 Dec 2026" only
  where space is short (staff tables).
- Money: "£1,602.00": the pound sign, a comma between thousands and always the
  pence, so amounts in a list line up; "-£12.50" for a credit.

Aware datetimes are shown in the council's time zone (``TIME_ZONE``). The
template filters in ``frontend.templatetags.govuk`` call these; Python code that
writes to residents (emails, summaries) calls them directly.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone

_PENNY = Decimal("0.01")


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def govuk_time(value: datetime.time | datetime.datetime | None) -> str:
    """``"9am"``, ``"2:32pm"``, ``"midnight"``, ``"midday"``; ``""`` for nothing."""
    if value is None or value == "":
        return ""
    value = _local(value)
    hour, minute = value.hour, value.minute
    if minute == 0 and hour == 0:
        return "midnight"
    if minute == 0 and hour == 12:
        return "midday"
    suffix = "am" if hour < 12 else "pm"
    hour12 = hour % 12 or 12
    return f"{hour12}:{minute:02d}{suffix}" if minute else f"{hour12}{suffix}"


def govuk_date(value: datetime.date | datetime.datetime | None, short=False) -> str:
    """``"6 December 2026"`` (``"6 Dec 2026"`` when ``short``); ``""`` for nothing."""
    if value is None or value == "":
        return ""
    value = _local(value)
    month = f"{value:%b}" if short else f"{value:%B}"
    return f"{value.day} {month} {value.year}"


def govuk_datetime(value: datetime.datetime | None, short=False) -> str:
    """``"6 December 2026 at 2:32pm"`` (``"6 Dec 2026, 2:32pm"`` when ``short``)."""
    if value is None or value == "":
        return ""
    value = _local(value)
    joiner = ", " if short else " at "
    return f"{govuk_date(value, short=short)}{joiner}{govuk_time(value)}"


def govuk_money(value) -> str:
    """``"£1,602.00"`` from a number, a ``Decimal`` or its text; ``""`` for nothing
    or for text that is not a number."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(_PENNY, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"
