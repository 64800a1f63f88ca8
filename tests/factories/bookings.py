"""Calendars, slots and price lists for payment and booking tests."""

import datetime

from django.utils import timezone

from services.models import Calendar, PriceItem, PriceList, Round, Slot


def make_calendar(**kwargs) -> Calendar:
    defaults = {"name": "Bulky waste collections", "slug": "bulky", "cutoff_hours": 24}
    return Calendar.objects.create(**(defaults | kwargs))


def make_round(calendar, name="North", prefixes="GU1", uprns="") -> Round:
    return Round.objects.create(
        calendar=calendar, name=name, postcode_prefixes=prefixes, uprns=uprns
    )


def make_slot(calendar, *, days_ahead=7, capacity=5, round=None, hour=7, **kwargs):
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz)
    return Slot.objects.create(
        calendar=calendar,
        round=round,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=10),
        capacity=capacity,
        **kwargs,
    )


def make_bulky_prices() -> PriceList:
    prices = PriceList.objects.create(name="Bulky waste", slug="bulky", max_items=6)
    for order, (code, name, price, concession) in enumerate(
        [
            ("sofa", "Sofa", 2500, 1000),
            ("fridge", "Fridge or freezer", 3500, 1500),
            ("mattress", "Mattress", 1500, 0),
        ]
    ):
        PriceItem.objects.create(
            price_list=prices,
            code=code,
            name=name,
            price=price,
            concession_price=concession,
            max_quantity=3,
            sort_order=order,
        )
    return prices
