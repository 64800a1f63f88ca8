"""Demo data for payments and bookings, added with the rest of the services
demo (``services.demo.add_demo_cases``): the bulky waste service with its price
list, a calendar with two rounds, blackout days and eight weeks of slots, the
journey on the bulky waste page, and for the first demo resident a past
collection, an upcoming one and a cancelled one that was refunded. Idempotent."""

from __future__ import annotations

import datetime

from django.utils import timezone

BULKY_SERVICE = {
    "name": "Bulky waste collection",
    "reference_prefix": "BULK",
    "case_type": "Bulky waste collection",
    "sla_days": 15,
    "guest_allowed": True,
    "retention_days": 730,
}
# (code, name, price, concession price) in pence.
BULKY_PRICES = [
    ("sofa", "Sofa or armchair", 1500, 750),
    ("bed", "Bed frame or mattress", 1200, 600),
    ("fridge", "Fridge or freezer", 3000, 1500),
    ("appliance", "Washing machine, cooker or dishwasher", 2000, 1000),
    ("wardrobe", "Wardrobe or chest of drawers", 1500, 750),
    ("other", "Other large item", 1200, 600),
]
ROUNDS = [
    ("North round", "GH1\nGH2", (0, 2, 4)),  # Monday, Wednesday, Friday
    ("South round", "GH3\nGH4\nGH5\nGH6\nGH7\nGH8\nGH9", (1, 3)),
]
# England and Wales bank holidays in the demo's booking window.
BANK_HOLIDAYS = [
    (datetime.date(2026, 12, 25), "Christmas Day"),
    (datetime.date(2026, 12, 28), "Boxing Day (substitute day)"),
    (datetime.date(2027, 1, 1), "New Year's Day"),
    (datetime.date(2027, 3, 26), "Good Friday"),
    (datetime.date(2027, 3, 29), "Easter Monday"),
    (datetime.date(2027, 5, 3), "Early May bank holiday"),
]


def ensure_bulky(team) -> dict:
    from services.bookings.actions import generate_slots
    from services.enums import default_transitions
    from services.models import (
        BlackoutDay,
        Calendar,
        PriceItem,
        PriceList,
        Round,
        ServiceDefinition,
    )

    service, _ = ServiceDefinition.objects.get_or_create(
        name=BULKY_SERVICE["name"],
        defaults=BULKY_SERVICE
        | {"team": team, "allowed_transitions": default_transitions()},
    )
    prices, created = PriceList.objects.get_or_create(
        slug="bulky-waste", defaults={"name": "Bulky waste", "max_items": 6}
    )
    if created:
        for order, (code, name, price, concession) in enumerate(BULKY_PRICES):
            PriceItem.objects.create(
                price_list=prices,
                code=code,
                name=name,
                price=price,
                concession_price=concession,
                max_quantity=3,
                sort_order=order,
            )
    calendar, created = Calendar.objects.get_or_create(
        slug="bulky-waste",
        defaults={
            "name": "Bulky waste collections",
            "hold_minutes": 30,
            "cutoff_hours": 24,
        },
    )
    if created:
        start = timezone.localdate() + datetime.timedelta(days=1)
        for name, prefixes, weekdays in ROUNDS:
            round_ = Round.objects.create(
                calendar=calendar, name=name, postcode_prefixes=prefixes
            )
            generate_slots(
                calendar=calendar,
                round=round_,
                start=start,
                days=56,
                times=[(datetime.time(7), datetime.time(16))],
                capacity=4,
                weekdays=weekdays,
            )
        for day, reason in BANK_HOLIDAYS:
            BlackoutDay.objects.get_or_create(
                calendar=None, date=day, defaults={"reason": reason}
            )
    return {"service": service, "prices": prices, "calendar": calendar}


def with_bulky_journey(fields: dict, found: dict) -> dict:
    body = [item for item in fields.get("body") or [] if item["type"] != "bulky_waste"]
    body.append(
        {
            "type": "bulky_waste",
            "value": {
                "service": found["service"].pk,
                "heading": "",
                "price_list": found["prices"].pk,
                "calendar": found["calendar"].pk,
            },
        }
    )
    return {**fields, "body": body, "start": []}


def create_demo_bookings(found: dict) -> int:
    """For the first demo resident with an address: a past collection, an
    upcoming paid one, and a cancelled one refunded."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import FieldError

    from services import actions
    from services.bookings.actions import confirm_booking, hold_slot
    from services.models import Booking, BookingStatus, Case, Round, Slot
    from services.payments import actions as payments

    User = get_user_model()
    try:
        resident = (
            User.objects.filter(resident_profile__uprn__gt="", is_staff=False)
            .order_by("pk")
            .first()
        )
    except FieldError:
        return 0
    service = found["service"]
    if (
        resident is None
        or Case.objects.filter(resident=resident, service=service).exists()
    ):
        return 0
    profile = resident.resident_profile
    calendar = found["calendar"]
    round_ = Round.objects.filter(calendar=calendar).for_address(
        postcode=profile.postcode, uprn=profile.uprn
    )
    address = ", ".join(
        p for p in (profile.address_line_1, profile.town, profile.postcode) if p
    )

    def open_bulky(items: str, total: int):
        return actions.open_case(
            service=service,
            answers={"address": address, "items": items, "total_pence": total},
            resident=resident,
            summary=f"Bulky waste: {items}",
            category="bulky_waste",
            address=address,
            postcode=profile.postcode,
            uprn=profile.uprn,
        )

    def pay(case, booking, total):
        payment = payments.start_payment(
            case=case,
            amount=total,
            description=f"Bulky waste collection {case.reference}",
            purpose={"booking": str(booking.uuid)},
        )
        payment.sandbox_state = {
            "status": "success",
            "card_brand": "visa",
            "last_digits": "1111",
        }
        payment.save(update_fields=["sandbox_state"])
        return payments.sync_payment(payment=payment)

    # A collection last month (made as it was then: past slots take no bookings now).
    tz = timezone.get_current_timezone()
    day = timezone.localdate() - datetime.timedelta(days=24)
    past_slot = Slot.objects.create(
        calendar=calendar,
        round=round_,
        starts_at=datetime.datetime.combine(day, datetime.time(7), tzinfo=tz),
        ends_at=datetime.datetime.combine(day, datetime.time(16), tzinfo=tz),
        capacity=4,
    )
    past_case = open_bulky("1 × Sofa or armchair", 1500)
    past = Booking.objects.create(
        slot=past_slot,
        user=resident,
        status=BookingStatus.HELD,
        hold_expires_at=timezone.now() + datetime.timedelta(minutes=30),
    )
    confirm_booking(booking=past, case=past_case)
    past_case.events.filter(text__startswith="Booked for").update(
        created_at=past_slot.starts_at - datetime.timedelta(days=7)
    )
    actions.change_status(case=past_case, to_status="in_progress", actor=None)
    actions.change_status(
        case=past_case, to_status="resolved", actor=None, message="Collected."
    )

    slots = list(
        Slot.objects.filter(
            calendar=calendar,
            round=round_,
            starts_at__gt=timezone.now() + datetime.timedelta(days=3),
        ).order_by("starts_at")[:2]
    )
    if len(slots) < 2:
        return 1
    upcoming_case = open_bulky("1 × Fridge or freezer, 1 × Bed frame or mattress", 4200)
    pay(upcoming_case, hold_slot(slot=slots[0], user=resident), 4200)

    cancelled_case = open_bulky("1 × Wardrobe or chest of drawers", 1500)
    cancelled = hold_slot(slot=slots[1], user=resident)
    pay(cancelled_case, cancelled, 1500)
    payments.cancel_booking_with_refund(
        booking=Booking.objects.get(pk=cancelled.pk), actor=resident
    )
    return 3


REGISTRAR_SERVICE = {
    "name": "Registrar appointments",
    "reference_prefix": "REG",
    "case_type": "Registrar appointment",
    "sla_days": 30,
    "guest_allowed": True,
    "retention_days": 365,
}
REGISTRAR_OFFICES = ["Guildhall Register Office", "Northfield Library"]
REGISTRAR_KINDS = ["Register a birth", "Register a death"]


def ensure_registrar() -> dict:
    """Registrar appointments: births and deaths at two offices, 45-minute
    appointments on weekdays for six weeks, one place each."""
    from django.contrib.auth.models import Group

    from services.bookings.actions import generate_slots
    from services.enums import default_transitions
    from services.models import Calendar, ServiceDefinition

    team, _ = Group.objects.get_or_create(name="Register office")
    service, _ = ServiceDefinition.objects.get_or_create(
        name=REGISTRAR_SERVICE["name"],
        defaults=REGISTRAR_SERVICE
        | {"team": team, "allowed_transitions": default_transitions()},
    )
    calendar, created = Calendar.objects.get_or_create(
        slug="registrar",
        defaults={
            "name": "Registrar appointments",
            "hold_minutes": 30,
            "cutoff_hours": 12,
        },
    )
    if created:
        start = timezone.localdate() + datetime.timedelta(days=1)
        times = [
            (datetime.time(9, 30), datetime.time(10, 15)),
            (datetime.time(11, 0), datetime.time(11, 45)),
            (datetime.time(14, 0), datetime.time(14, 45)),
        ]
        for office, weekdays in zip(
            REGISTRAR_OFFICES, [(0, 1, 2, 3, 4), (1, 3)], strict=True
        ):
            for kind in REGISTRAR_KINDS:
                generate_slots(
                    calendar=calendar,
                    start=start,
                    days=42,
                    times=times,
                    capacity=1,
                    weekdays=weekdays,
                    kind=kind,
                    location=office,
                )
    return {"service": service, "calendar": calendar}


def with_registrar_journey(fields: dict, found: dict) -> dict:
    body = [
        item
        for item in fields.get("body") or []
        if item["type"] != "registrar_appointment"
    ]
    body.append(
        {
            "type": "registrar_appointment",
            "value": {
                "service": found["service"].pk,
                "heading": "",
                "calendar": found["calendar"].pk,
            },
        }
    )
    return {**fields, "body": body, "start": []}
