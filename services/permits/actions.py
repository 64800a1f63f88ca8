"""Every change to a subscription or permit. Keyword-only; each owns its
transaction.

Prices and periods are computed here from the scheme and its price list
(``quote``); the browser sends only a permit type and a number of bins. A permit
is written pending with its case, then activated (given its number) once paid:
by ``services.payments.actions`` through ``fulfil_permit_payment`` (a payment
whose ``purpose`` is ``{"permit": "<uuid>"}``), or at once when nothing is due.

Renewal reminders (``send_renewal_reminders``, Celery beat daily) are idempotent:
a permit is marked reminded in the same transaction as the reminder's outbox row,
and rows are claimed with ``SKIP LOCKED``, so two workers or a rerun send one
email each.
"""

from __future__ import annotations

import calendar as calendarlib
import datetime
import re
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sequences import get_next_value

from services.enums import CaseEventKind, OutboxTopic
from services.models import (
    CaseEvent,
    Permit,
    PermitKind,
    PermitScheme,
    PermitStatus,
    pounds,
)


class PermitError(Exception):
    """Why a permit cannot be applied for or renewed; ``str()`` is for residents."""


# UK vehicle registrations: current (AB12 CDE), prefix (A123 BCD), suffix
# (ABC 123D) and dateless (1 to 4 letters and 1 to 4 digits, either way round).
REGISTRATION_PATTERNS = [
    re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z]{3}$"),
    re.compile(r"^[A-Z][0-9]{1,3}[A-Z]{3}$"),
    re.compile(r"^[A-Z]{3}[0-9]{1,3}[A-Z]$"),
    re.compile(r"^[A-Z]{1,4}[0-9]{1,4}$"),
    re.compile(r"^[0-9]{1,4}[A-Z]{1,4}$"),
]


def normalise_registration(value: str) -> str | None:
    """``ab12 cde`` → ``AB12CDE``; ``None`` when it is not a UK registration."""
    compact = re.sub(r"[\s-]", "", value or "").upper()
    if len(compact) > 8 or not any(p.match(compact) for p in REGISTRATION_PATTERNS):
        return None
    return compact


def display_registration(compact: str) -> str:
    """``AB12CDE`` → ``AB12 CDE`` (the current format's space); others as given."""
    if REGISTRATION_PATTERNS[0].match(compact):
        return f"{compact[:4]} {compact[4:]}"
    return compact


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return day.replace(
        year=year,
        month=month,
        day=min(day.day, calendarlib.monthrange(year, month)[1]),
    )


def year_containing(scheme: PermitScheme, day: datetime.date):
    """The scheme's fixed year that ``day`` falls in: (first day, last day)."""
    start_year = day.year if day.month >= scheme.year_start_month else day.year - 1
    first = datetime.date(start_year, scheme.year_start_month, 1)
    return first, _add_months(first, 12) - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Quote:
    amount: int  # pence
    valid_from: datetime.date
    valid_until: datetime.date
    item_code: str
    item_name: str
    quantity: int
    full_price: int  # for the whole year, before any pro rata reduction
    months: int  # months charged

    @property
    def amount_display(self) -> str:
        return pounds(self.amount)


def quote(
    *,
    scheme: PermitScheme,
    item_code: str,
    quantity: int = 1,
    start: datetime.date | None = None,
    renewal: bool = False,
) -> Quote:
    """What a permit costs and the period it covers, starting ``start`` (today).

    A fixed year (``year_start_month``) ends on its last day; pro rata, the
    price is the year's price times the months left (the starting month counts
    whole) over 12, rounded to the penny. A renewal starts the day after the old
    permit ends and always covers, and costs, a whole year."""
    item = scheme.price_list.items.filter(code=item_code).first()
    if item is None:
        raise PermitError("Select a permit type")
    if quantity < 1 or quantity > item.max_quantity:
        raise PermitError(f"You can have up to {item.max_quantity} of these")
    start = start or timezone.localdate()
    full = item.price * quantity
    if scheme.year_start_month:
        first, last = year_containing(scheme, start)
        months = (last.year - start.year) * 12 + last.month - start.month + 1
        if renewal:
            months = 12
        amount = full if not scheme.pro_rata else round(full * months / 12)
    else:
        last = _add_months(start, 12) - datetime.timedelta(days=1)
        months, amount = 12, full
    return Quote(
        amount=amount,
        valid_from=start,
        valid_until=last,
        item_code=item.code,
        item_name=item.name,
        quantity=quantity,
        full_price=full,
        months=months,
    )


def renewal_quote(permit: Permit) -> Quote:
    return quote(
        scheme=permit.scheme,
        item_code=permit.item_code,
        quantity=permit.quantity,
        start=permit.valid_until + datetime.timedelta(days=1),
        renewal=True,
    )


def existing_permit(*, scheme, user, uprn="", registration="", on=None):
    """A current or future active permit this application would duplicate: the
    same address for garden waste, the same vehicle for parking."""
    on = on or timezone.localdate()
    found = Permit.objects.filter(
        scheme=scheme,
        status=PermitStatus.ACTIVE,
        valid_until__gte=on,
    )
    if scheme.kind == PermitKind.RESIDENT_PARKING:
        return found.filter(vehicle_registration=registration).first()
    return found.filter(uprn=uprn).first() if uprn else None


def create_permit(
    *,
    scheme: PermitScheme,
    case,
    user,
    quoted: Quote,
    address: str,
    uprn: str = "",
    postcode: str = "",
    registration: str = "",
    renewal_of: Permit | None = None,
) -> Permit:
    """Write the pending permit for a case (activated at once when free)."""
    with transaction.atomic():
        permit = Permit.objects.create(
            scheme=scheme,
            case=case,
            user=user if user is not None and user.is_authenticated else None,
            item_code=quoted.item_code,
            item_name=quoted.item_name,
            quantity=quoted.quantity,
            vehicle_registration=registration,
            address=address[:255],
            uprn=uprn,
            postcode=postcode,
            amount=quoted.amount,
            valid_from=quoted.valid_from,
            valid_until=quoted.valid_until,
            renewal_of=renewal_of,
        )
        if quoted.amount == 0:
            activate_permit(permit=permit)
    return permit


@transaction.atomic
def activate_permit(*, permit: Permit, actor=None) -> Permit:
    """Give the permit its number and tell the resident; twice changes nothing."""
    from services.actions import _outbox

    permit = (
        Permit.objects.select_for_update().select_related("scheme").get(pk=permit.pk)
    )
    if permit.status != PermitStatus.PENDING:
        return permit
    scheme = permit.scheme
    number = get_next_value(f"permit:{scheme.number_prefix}")
    permit.number = f"{scheme.number_prefix}-{number:06d}"
    permit.status = PermitStatus.ACTIVE
    permit.activated_at = timezone.now()
    permit.save(update_fields=["number", "status", "activated_at"])
    what = " subscription" if scheme.kind == PermitKind.GARDEN_WASTE else ""
    event = CaseEvent.objects.create(
        case=permit.case,
        kind=CaseEventKind.PUBLIC_UPDATE,
        actor=actor,
        public=True,
        text=(
            f"Your {scheme.name.lower()}{what} {permit.number} is active from "
            f"{permit.valid_from:%-d %B %Y} to {permit.valid_until:%-d %B %Y}."
        ),
        data={"permit": str(permit.uuid), "action": "permit_active"},
    )
    _outbox(case=permit.case, topic=OutboxTopic.PUBLIC_UPDATE, event=event)
    return permit


def fulfil_permit_payment(payment) -> None:
    """``services.payments.actions.FULFILMENT_HOOKS``: a successful payment for
    a permit activates it (inside the payment's transaction, under its lock)."""
    permit_id = payment.purpose.get("permit")
    if not permit_id:
        return
    permit = Permit.objects.filter(uuid=permit_id).first()
    if permit is not None:
        activate_permit(permit=permit)


def renew_url(permit: Permit) -> str:
    from services.outbox import _site_url

    return _site_url(reverse("services:permit_renew", args=[permit.uuid]))


def renewal_due(*, on: datetime.date):
    """Active permits whose reminder is due on ``on`` and not yet sent or
    renewed."""
    return (
        Permit.objects.filter(
            status=PermitStatus.ACTIVE,
            reminded_at__isnull=True,
            renewal__isnull=True,
            valid_until__gte=on,
        )
        .select_related("scheme")
        .order_by("valid_until", "pk")
    )


def send_renewal_reminders(*, now=None, limit: int = 500) -> int:
    """Email each permit's holder once when its end is ``reminder_days`` away
    or less; returns how many were sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    candidates = [
        p.pk
        for p in renewal_due(on=today)[:limit]
        if p.valid_until - datetime.timedelta(days=p.scheme.reminder_days) <= today
    ]
    for pk in candidates:
        sent += _remind(pk, now)
    return sent


@transaction.atomic
def _remind(pk: int, now) -> int:
    from services.actions import _outbox

    permit = (
        Permit.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("scheme", "case")
        .filter(pk=pk, reminded_at__isnull=True, renewal__isnull=True)
        .first()
    )
    if permit is None:  # reminded (or being reminded) by another run
        return 0
    permit.reminded_at = now
    permit.save(update_fields=["reminded_at"])
    quoted = renewal_quote(permit)
    event = CaseEvent.objects.create(
        case=permit.case,
        kind=CaseEventKind.PUBLIC_UPDATE,
        public=True,
        text=(
            f"Your {permit.scheme.name.lower()} {permit.number} ends on "
            f"{permit.valid_until:%-d %B %Y}. Renew it for "
            f"{quoted.amount_display} ({quoted.valid_from:%-d %B %Y} to "
            f"{quoted.valid_until:%-d %B %Y}): {renew_url(permit)}"
        ),
        data={"permit": str(permit.uuid), "action": "renewal_due"},
    )
    _outbox(case=permit.case, topic=OutboxTopic.RENEWAL_DUE, event=event)
    return 1


def may_renew(permit: Permit, *, today=None) -> bool:
    """Active, not yet renewed, and its end within the reminder window."""
    today = today or timezone.localdate()
    return (
        permit.status == PermitStatus.ACTIVE
        and permit.valid_until >= today
        and permit.valid_until - datetime.timedelta(days=permit.scheme.reminder_days)
        <= today
        and not (
            permit.renewed
            if hasattr(permit, "renewed")  # annotated by the list (one query)
            else Permit.objects.filter(
                renewal_of=permit, status=PermitStatus.ACTIVE
            ).exists()
        )
    )


def start_renewal(*, permit: Permit, user, return_path: str):
    """Renew for the next period: a case, the pending permit and its payment
    (``payment.next_url`` is where the resident goes). Only once per permit."""
    from services import actions
    from services.models.payments import IN_PROGRESS_STATUSES
    from services.payments.actions import start_payment

    with transaction.atomic():
        permit = Permit.objects.select_for_update().get(pk=permit.pk)
        if not may_renew(permit):
            raise PermitError("This permit cannot be renewed now.")
        pending = Permit.objects.filter(
            renewal_of=permit, status=PermitStatus.PENDING
        ).first()
        if pending is not None:
            unfinished = (
                pending.case.payments.filter(status__in=IN_PROGRESS_STATUSES)
                .exclude(next_url="")
                .first()
            )
            if unfinished is not None:  # resume the payment already started
                return pending, unfinished
            abandon_unpaid_renewal(permit=pending)
        quoted = renewal_quote(permit)
        scheme = permit.scheme
        case = actions.open_case(
            service=scheme.service,
            answers={
                "renews": permit.number,
                "item": quoted.item_name,
                "quantity": quoted.quantity,
                "vehicle_registration": permit.vehicle_registration,
                "address": permit.address,
                "total_pence": quoted.amount,
            },
            resident=user,
            summary=f"Renewal of {permit.number}",
            category=scheme.kind,
            address=permit.address,
            postcode=permit.postcode,
            uprn=permit.uprn,
        )
        renewed = create_permit(
            scheme=scheme,
            case=case,
            user=user,
            quoted=quoted,
            address=permit.address,
            uprn=permit.uprn,
            postcode=permit.postcode,
            registration=permit.vehicle_registration,
            renewal_of=permit,
        )
    if renewed.status == PermitStatus.ACTIVE:
        return renewed, None
    payment = start_payment(
        case=case,
        amount=quoted.amount,
        description=f"{scheme.name} renewal {case.reference}",
        return_path=return_path,
        purpose={"permit": str(renewed.uuid)},
        email=case.contact_email,
    )
    return renewed, payment


def abandon_unpaid_renewal(*, permit: Permit) -> None:
    """A renewal whose payment failed gives way, so the resident can renew again."""
    Permit.objects.filter(pk=permit.pk, status=PermitStatus.PENDING).update(
        status=PermitStatus.CANCELLED, renewal_of=None
    )
