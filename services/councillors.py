"""Councillor enquiries: a councillor (a member of the "Councillors" group, made by
migration ``services.0016``) raises a case for a constituent who agreed to it.

The councillor is the case's resident, so the case is in their account and they
get every update; the constituent's name, email address, address and how they
agreed are kept beside the case (``ConstituentEnquiry``), written in the same
transaction as the case, and the constituent gets the same updates by email
(``services.outbox``).
"""

from __future__ import annotations

from django.db import transaction

COUNCILLORS_GROUP = "Councillors"


def is_councillor(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.groups.filter(name=COUNCILLORS_GROUP).exists()
    )


@transaction.atomic
def open_enquiry(
    *,
    service,
    councillor,
    constituent: dict,
    consent: str,
    enquiry: str,
    idempotency_key=None,
):
    """Open the case for ``constituent`` (name, email, address) with the consent
    recorded; the same case again for a retried submission."""
    from services import actions
    from services.models import CaseEvent, ConstituentEnquiry

    if not is_councillor(councillor):
        raise actions.NotPermitted("Only councillors raise enquiries for constituents.")
    if not consent:
        raise ValueError("A councillor enquiry needs the constituent's consent.")
    case = actions.open_case(
        service=service,
        answers={
            "Constituent's name": constituent["name"],
            "Constituent's email address": constituent.get("email", ""),
            "Constituent's address": constituent.get("address", ""),
            "How the constituent agreed": consent,
            "The enquiry": enquiry,
        },
        resident=councillor,
        idempotency_key=idempotency_key,
        summary=f"Councillor enquiry for {constituent['name']}",
        address=constituent.get("address", "")[:300],
    )
    if case.created:
        ConstituentEnquiry.objects.create(
            case=case,
            councillor=councillor,
            name=constituent["name"],
            email=constituent.get("email", ""),
            address=constituent.get("address", ""),
            consent=consent,
        )
        CaseEvent.objects.create(
            case=case,
            kind="internal_note",
            actor=councillor,
            text=f"Raised by a councillor for {constituent['name']}, who agreed: "
            f"{consent}.",
        )
    return case


def constituent_email(case) -> str:
    from services.models import ConstituentEnquiry

    return (
        ConstituentEnquiry.objects.filter(case=case)
        .values_list("email", flat=True)
        .first()
        or ""
    )
