"""My Account adapters for cases (services): the timeline, data export and
erasure, and guest-claim registration.

Lives in myaccount because the dependency runs services ← myaccount: services
never imports the accounts app.
"""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.urls import reverse

from myaccount.enums import TimelineKind
from myaccount.registry import (
    DataHandler,
    TimelineItem,
    register_data_handler,
    register_guest_model,
    register_timeline_source,
)
from services.models import Case, CaseDraft, CaseEvent, CaseFollower


class CaseSource:
    """The resident's requests, each with its latest public update (one query)."""

    kind = TimelineKind.REQUEST

    def items(self, *, user, organisation_ids, limit):
        latest_update = (
            CaseEvent.objects.filter(case=OuterRef("pk"), public=True)
            .order_by("-created_at", "-pk")
            .values("text")[:1]
        )
        cases = (
            Case.objects.for_resident(user)
            .annotate(latest_update=Subquery(latest_update))
            .only(
                "reference",
                "case_type",
                "summary",
                "status",
                "created_at",
                "updated_at",
            )
            .order_by("-updated_at")[:limit]
        )
        return [
            TimelineItem(
                kind=self.kind,
                reference=case.reference,
                title=case.summary or case.case_type,
                occurred_at=case.updated_at,
                status=case.get_status_display(),
                url=reverse("services:my_case_detail", args=[case.reference]),
                staff_url=reverse("services_cases:detail", args=[case.pk]),
                updates=(case.latest_update,) if case.latest_update else (),
            )
            for case in cases
        ]

    def residents_with_reference(self, reference):
        # References are upper case: an exact match uses the unique index.
        return Case.objects.filter(
            reference=reference.strip().upper(), resident__isnull=False
        ).values("resident_id")


def export_cases(user) -> list[dict]:
    cases = Case.objects.for_resident(user).prefetch_related("events", "attachments")
    return [
        {
            "reference": case.reference,
            "type": case.case_type,
            "status": case.get_status_display(),
            "submitted_at": case.created_at.isoformat(),
            "channel": case.get_channel_display(),
            "answers": case.answers,
            "location": case.where,
            "files": [
                {"question": a.question, "name": a.original_name}
                for a in case.attachments.all()
            ],
            "updates": [
                {"at": e.created_at.isoformat(), "text": e.text, "status": e.to_status}
                for e in case.events.all()
                if e.public
            ],
        }
        for case in cases
    ]


def erase_cases(user) -> None:
    """The council keeps its record of the work, without the person
    (``services.erasure``, the routines the retention job uses too): the resident's
    cases (and guest cases made with one of their addresses, never claimed), the
    cases they follow, their half-finished journeys and the timeline entries they
    wrote elsewhere. An open case is still worked; it is erased again once closed
    past its retention period."""
    from django.db.models import Q

    from myaccount.erasure import email_addresses
    from services.case_facts import forget
    from services.erasure import erase_cases as erase_case_records
    from services.erasure import erase_drafts, erase_follows

    emails = email_addresses(user)
    guest_cases = Q()
    for email in emails:
        guest_cases |= Q(resident__isnull=True, guest_email__iexact=email)
    ids = list(
        Case.objects.filter(Q(resident=user) | Q(contact__user=user) | guest_cases)
        .select_for_update(of=("self",))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    CaseEvent.objects.filter(actor=user).update(actor=None)
    erase_follows(CaseFollower.objects.filter(user=user))
    # Their saved journeys, and those a guest saved with one of their addresses.
    saved_as_guest = Q()
    for email in emails:
        saved_as_guest |= Q(user__isnull=True, email__iexact=email)
    erase_drafts(CaseDraft.objects.filter(Q(user=user) | saved_as_guest))
    erase_case_records(
        ids, reason="Personal data erased: the resident deleted their account."
    )
    forget(user.pk)


CASES = CaseSource()


def register() -> None:
    register_timeline_source(CASES)
    register_data_handler(
        DataHandler(
            key="cases",
            label="Requests",
            export=export_cases,
            erase=erase_cases,
            models=(
                "services.Case",
                "services.CaseEvent",
                "services.CaseFollower",
                "services.CaseDraft",
                # a councillor's enquiry goes with its case (services.erasure)
                "services.ConstituentEnquiry",
            ),
        )
    )
    register_guest_model(Case, email_field="guest_email", user_field="resident")


register()  # on import, from MyAccountConfig.ready() (like checks.py)
