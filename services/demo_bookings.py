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


GARDEN_SERVICE = {
    "name": "Garden waste subscriptions",
    "reference_prefix": "GDN",
    "case_type": "Garden waste subscription",
    "sla_days": 10,
    "guest_allowed": False,
    "retention_days": 2190,
}
PARKING_SERVICE = {
    "name": "Resident parking permits",
    "reference_prefix": "RPP",
    "case_type": "Resident parking permit",
    "sla_days": 5,
    "guest_allowed": False,
    "retention_days": 2190,
}
# (code, name, price in pence, most per application), as on the parking page.
PARKING_PRICES = [
    ("first", "First vehicle", 6500),
    ("second", "Second vehicle", 12000),
    ("electric", "Electric vehicle", 3000),
]
PARKING_ZONES = "GH1 1\nGH1 2\nGH2 3"


def ensure_permit_schemes(waste_team) -> dict:
    """Garden waste (£52 a bin, April to March, pro rata) and resident parking
    (12 months from the day, three permit types, three zones)."""
    from django.contrib.auth.models import Group

    from services.enums import default_transitions
    from services.models import (
        PermitKind,
        PermitScheme,
        PriceItem,
        PriceList,
        ServiceDefinition,
    )

    parking_team, _ = Group.objects.get_or_create(name="Parking team")
    found = {}
    for key, spec, team, prices, scheme in [
        (
            "garden",
            GARDEN_SERVICE,
            waste_team,
            [("bin", "Garden waste bin", 5200, 3)],
            {
                "name": "Garden waste collection",
                "kind": PermitKind.GARDEN_WASTE,
                "number_prefix": "GW",
                "year_start_month": 4,
                "pro_rata": True,
                "reminder_days": 28,
            },
        ),
        (
            "parking",
            PARKING_SERVICE,
            parking_team,
            [(c, n, p, 1) for c, n, p in PARKING_PRICES],
            {
                "name": "Resident parking permit",
                "kind": PermitKind.RESIDENT_PARKING,
                "number_prefix": "RP",
                "year_start_month": 0,
                "reminder_days": 28,
                "postcode_prefixes": PARKING_ZONES,
            },
        ),
    ]:
        service, _ = ServiceDefinition.objects.get_or_create(
            name=spec["name"],
            defaults=spec
            | {"team": team, "allowed_transitions": default_transitions()},
        )
        price_list, created = PriceList.objects.get_or_create(
            slug=f"{key}-permits", defaults={"name": scheme["name"]}
        )
        if created:
            for order, (code, name, price, most) in enumerate(prices):
                PriceItem.objects.create(
                    price_list=price_list,
                    code=code,
                    name=name,
                    price=price,
                    max_quantity=most,
                    sort_order=order,
                )
        found[key], _ = PermitScheme.objects.get_or_create(
            slug=key if key == "parking" else "garden-waste",
            defaults=scheme | {"service": service, "price_list": price_list},
        )
    return found


def with_permit_journey(fields: dict, block_type: str, scheme) -> dict:
    body = [item for item in fields.get("body") or [] if item["type"] != block_type]
    body.append(
        {
            "type": block_type,
            "value": {"service": scheme.service_id, "heading": "", "scheme": scheme.pk},
        }
    )
    return {**fields, "body": body, "start": []}


def create_demo_permits(schemes: dict) -> int:
    """A paid garden waste subscription for this year (grace.obi) and a parking
    permit ending in three weeks, so it can be renewed (amira.khan)."""
    from django.contrib.auth import get_user_model

    from services import actions
    from services.models import Permit
    from services.payments import actions as payments
    from services.permits.actions import create_permit, quote

    User = get_user_model()
    made = 0
    today = timezone.localdate()
    for username, key, item, start, registration in [
        ("grace.obi", "garden", "bin", today - datetime.timedelta(days=60), ""),
        (
            "amira.khan",
            "parking",
            "first",
            today - datetime.timedelta(days=344),
            "GH21ABC",
        ),
    ]:
        user = User.objects.filter(username=username).first()
        profile = getattr(user, "resident_profile", None) if user else None
        scheme = schemes[key]
        if profile is None or not profile.uprn:
            continue
        if Permit.objects.filter(user=user, scheme=scheme).exists():
            continue
        address = ", ".join(
            p for p in (profile.address_line_1, profile.town, profile.postcode) if p
        )
        quoted = quote(scheme=scheme, item_code=item, start=start)
        case = actions.open_case(
            service=scheme.service,
            answers={"address": address, "total_pence": quoted.amount},
            resident=user,
            summary=scheme.name,
            category=scheme.kind,
            address=address,
            postcode=profile.postcode,
            uprn=profile.uprn,
        )
        permit = create_permit(
            scheme=scheme,
            case=case,
            user=user,
            quoted=quoted,
            address=address,
            uprn=profile.uprn,
            postcode=profile.postcode,
            registration=registration,
        )
        payment = payments.start_payment(
            case=case,
            amount=permit.amount,
            description=f"{scheme.name} {case.reference}",
            purpose={"permit": str(permit.uuid)},
        )
        payment.sandbox_state = {
            "status": "success",
            "card_brand": "visa",
            "last_digits": "1111",
        }
        payment.save(update_fields=["sandbox_state"])
        payments.sync_payment(payment=payment)
        made += 1
    return made
