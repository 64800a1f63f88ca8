"""My Account adapters for bookings and payments (services): the dashboard's
Bookings and Payments sections, the data download and erasure.

A payment is a record the council must keep: erasure leaves the amount and
reference with the (already anonymised) case and drops the card details; a
booking loses its link to the account.
"""

from __future__ import annotations

from django.urls import reverse

from myaccount.enums import TimelineKind
from myaccount.registry import (
    DataHandler,
    TimelineItem,
    register_data_handler,
    register_timeline_source,
)
from services.models import Booking, Payment, PaymentStatus, Permit, pounds


class BookingSource:
    kind = TimelineKind.BOOKING

    def items(self, *, user, organisation_ids, limit):
        found = (
            Booking.objects.for_resident(user)
            .filter(status__in=["confirmed", "cancelled"])
            .select_related("slot__calendar", "case")
            .order_by("-slot__starts_at")[:limit]
        )
        return [
            TimelineItem(
                kind=self.kind,
                reference=b.case.reference,
                title=f"{b.slot.calendar.name}: {b.slot.date_label}",
                occurred_at=b.slot.starts_at,
                status=b.get_status_display(),
                url=reverse("services:my_bookings"),
            )
            for b in found
        ]

    def residents_with_reference(self, reference):
        return Booking.objects.filter(
            case__reference__iexact=reference, case__resident__isnull=False
        ).values("case__resident_id")


class PaymentSource:
    kind = TimelineKind.PAYMENT

    def items(self, *, user, organisation_ids, limit):
        found = (
            Payment.objects.for_resident(user)
            .filter(status=PaymentStatus.SUCCESS)
            .order_by("-created_at")[:limit]
        )
        return [
            TimelineItem(
                kind=self.kind,
                reference=p.reference,
                title=f"{p.description}: {pounds(p.amount)}",
                occurred_at=p.created_at,
                status=(
                    f"Refunded {pounds(p.refunded_amount)}"
                    if p.refunded_amount
                    else "Paid"
                ),
                url=reverse("services:receipt", args=[p.uuid]),
            )
            for p in found
        ]

    def residents_with_reference(self, reference):
        return Payment.objects.filter(
            reference__iexact=reference, case__resident__isnull=False
        ).values("case__resident_id")


def export_bookings(user) -> list[dict]:
    return [
        {
            "reference": b.case.reference,
            "calendar": b.slot.calendar.name,
            "date": b.slot.starts_at.isoformat(),
            "status": b.get_status_display(),
        }
        for b in Booking.objects.for_resident(user).select_related(
            "slot__calendar", "case"
        )
    ]


def export_payments(user) -> list[dict]:
    return [
        {
            "reference": p.reference,
            "description": p.description,
            "amount": pounds(p.amount),
            "status": p.get_status_display(),
            "refunded": pounds(p.refunded_amount),
            "at": p.created_at.isoformat(),
        }
        for p in Payment.objects.for_resident(user)
    ]


def erase_bookings(user) -> None:
    Booking.objects.filter(user=user).update(user=None)


def erase_payments(user) -> None:
    Payment.objects.filter(case__resident=user).update(
        card_brand="", last_digits="", sandbox_state={}
    )


def export_permits(user) -> list[dict]:
    return [
        {
            "reference": p.case.reference,
            "scheme": p.scheme.name,
            "number": p.number,
            "status": p.get_status_display(),
            "for": p.description,
            "address": p.address,
            "valid_from": p.valid_from.isoformat(),
            "valid_until": p.valid_until.isoformat(),
            "amount": pounds(p.amount),
        }
        for p in Permit.objects.for_resident(user).select_related("scheme", "case")
    ]


def erase_permits(user) -> None:
    Permit.objects.filter(user=user).update(
        user=None, address="", uprn="", postcode="", vehicle_registration=""
    )


BOOKINGS = BookingSource()
PAYMENTS = PaymentSource()


def register() -> None:
    register_timeline_source(BOOKINGS)
    register_timeline_source(PAYMENTS)
    register_data_handler(
        DataHandler(
            key="bookings",
            label="Bookings",
            export=export_bookings,
            erase=erase_bookings,
            models=("services.Booking",),
        )
    )
    register_data_handler(
        DataHandler(
            key="payments",
            label="Payments",
            export=export_payments,
            erase=erase_payments,
            models=("services.Payment",),
        )
    )
    register_data_handler(
        DataHandler(
            key="permits",
            label="Subscriptions and permits",
            export=export_permits,
            erase=erase_permits,
            models=("services.Permit",),
        )
    )


register()  # on import, from MyAccountConfig.ready()
