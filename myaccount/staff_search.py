"""One search box for staff: a case reference, name, email address, phone number,
postcode, address or UPRN finds people (contacts, with an account or without:
guests and callers included), properties and cases.

Cases come only through what the member of staff may read
(``Case.objects.readable_by`` and ``CaseVisibility.search``). Each section is one
query with a fixed limit, so the page costs the same however much matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, Max, Q

from frontend.formats import normalise_postcode
from services.contacts import looks_like_phone, normalise_email, normalise_phone
from services.models import Case, Contact, ContactPointKind
from services.visibility import CaseVisibility, found_cases

LIMIT = 25


@dataclass(frozen=True)
class Property:
    uprn: str
    address: str
    postcode: str
    cases: int


REFERENCE = re.compile(r"[A-Za-z]{2,6}-\d{4}-\d{1,9}")


def contacts(text: str) -> list[Contact]:
    """People (contacts, with an account or without) by exact email address,
    phone number or case reference, or by a name (three letters or more).
    One query for the rows and one for their details, whatever matches."""
    text = text.strip()
    if not text:
        return []
    found = Contact.objects.current()
    if "@" in text:
        found = found.filter(
            points__kind=ContactPointKind.EMAIL, points__value=normalise_email(text)
        )
    elif looks_like_phone(text):
        found = found.filter(
            points__kind=ContactPointKind.PHONE, points__value=normalise_phone(text)
        )
    elif REFERENCE.fullmatch(text):
        found = found.filter(cases__reference=text.upper())
    elif len(text) >= 3:
        found = found.filter(name__icontains=text)
    else:
        return []
    return list(
        found.select_related("user")
        .prefetch_related("points")
        .distinct()
        .order_by("name", "pk")[:LIMIT]
    )


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
    """Cases this member of staff may read, with what they may see of each: one
    query per kind of match the text can be (``CaseVisibility.search_branches``,
    at most two), merged newest first; each reads the ids it finds first
    (``found_cases``), so a rare name is not looked for along the whole list."""
    text = text.strip()
    if not text:
        return []
    visibility = CaseVisibility(user)
    readable = Case.objects.readable_by(user).select_related(
        "service", "resident", "team"
    )
    found = {}
    for branch in visibility.search_branches(text):
        matching = found_cases(Case.objects.filter(branch).order_by(), otherwise=branch)
        for case in readable.filter(matching).order_by("-created_at")[:LIMIT]:
            found[case.pk] = case
    newest = sorted(found.values(), key=lambda c: (c.created_at, c.pk), reverse=True)
    return [(case, visibility.of(case)) for case in newest[:LIMIT]]
