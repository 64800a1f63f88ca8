"""One search box for staff: a case reference, name, email address, phone number,
postcode, address or UPRN finds people (with an account or without: guests and
callers, as their cases and logged interactions name them), properties and cases.

Cases come only through what the member of staff may read
(``Case.objects.readable_by`` and ``CaseVisibility.search``). Each section is one
query with a fixed limit, so the page costs the same however much matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, Max, Q

from frontend.formats import normalise_postcode
from services.models import Case, Interaction
from services.visibility import CaseVisibility

LIMIT = 25


@dataclass(frozen=True)
class Person:
    """Someone without an account, as the council's records name them."""

    name: str
    email: str
    phone: str
    records: int

    @property
    def find(self) -> str:
        """What to search the case list with to see their cases."""
        return self.email or self.phone


@dataclass(frozen=True)
class Property:
    uprn: str
    address: str
    postcode: str
    cases: int


def _is_phone(text: str) -> bool:
    return (
        bool(re.fullmatch(r"[0-9 +()-]{6,30}", text))
        and sum(c.isdigit() for c in text) >= 6
    )


def people_without_accounts(text: str) -> list[Person]:
    """Guests and callers named by cases or interactions: matched by their exact
    email address or phone number, or by name."""
    text = text.strip()
    if not text:
        return []
    found: dict[tuple, list] = {}
    case_match = Q(guest_email__iexact=text) | Q(contact_name__icontains=text)
    logged_match = Q(contact_email__iexact=text) | Q(contact_name__icontains=text)
    if _is_phone(text):
        case_match |= Q(contact_phone=text)
        logged_match |= Q(contact_phone=text)
    rows = [
        *Case.objects.filter(resident__isnull=True, anonymised_at__isnull=True)
        .filter(case_match)
        .values("contact_name", "guest_email", "contact_phone")
        .annotate(n=Count("pk"), last=Max("created_at"))
        .order_by("-last")[:LIMIT],
        *Interaction.objects.filter(resident__isnull=True, anonymised_at__isnull=True)
        .filter(logged_match)
        .values("contact_name", "contact_email", "contact_phone")
        .annotate(n=Count("pk"), last=Max("created_at"))
        .order_by("-last")[:LIMIT],
    ]
    for row in rows:
        email = (row.get("guest_email") or row.get("contact_email") or "").lower()
        key = (row["contact_name"], email, row["contact_phone"])
        found.setdefault(key, [0])[0] += row["n"]
    return [
        Person(name=name, email=email, phone=phone, records=n[0])
        for (name, email, phone), n in list(found.items())[:LIMIT]
        if email or phone
    ]


def properties(text: str, user) -> list[Property]:
    """Addresses (by UPRN) of the cases this member of staff may read."""
    text = text.strip()
    if not text:
        return []
    match = Q(uprn=text) | Q(address__icontains=text)
    postcode = normalise_postcode(text)
    if postcode:
        match |= Q(postcode=postcode)
    rows = (
        Case.objects.readable_by(user)
        .exclude(uprn="")
        .filter(match)
        .values("uprn")
        .annotate(n=Count("pk"), address=Max("address"), postcode=Max("postcode"))
        .order_by("-n", "uprn")[:LIMIT]
    )
    return [
        Property(
            uprn=r["uprn"], address=r["address"], postcode=r["postcode"], cases=r["n"]
        )
        for r in rows
    ]


def cases(text: str, user) -> list[tuple]:
    """Cases this member of staff may read, with what they may see of each."""
    text = text.strip()
    if not text:
        return []
    visibility = CaseVisibility(user)
    found = (
        Case.objects.readable_by(user)
        .filter(visibility.search(text))
        .select_related("service", "resident", "team")
        .order_by("-created_at")[:LIMIT]
    )
    return [(case, visibility.of(case)) for case in found]
