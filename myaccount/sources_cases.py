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
from services.models import Case, CaseDraft, CaseEvent


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
                updates=(case.latest_update,) if case.latest_update else (),
            )
            for case in cases
        ]

    def residents_with_reference(self, reference):
        return Case.objects.filter(
            reference__iexact=reference, resident__isnull=False
        ).values("resident_id")


def export_cases(user) -> list[dict]:
    cases = Case.objects.for_resident(user).prefetch_related("events")
    return [
        {
            "reference": case.reference,
            "type": case.case_type,
            "status": case.get_status_display(),
            "submitted_at": case.created_at.isoformat(),
            "channel": case.get_channel_display(),
            "answers": case.answers,
            "location": case.where,
            "updates": [
                {"at": e.created_at.isoformat(), "text": e.text, "status": e.to_status}
                for e in case.events.all()
                if e.public
            ],
        }
        for case in cases
    ]


def erase_cases(user) -> None:
    """Keep the council's record of the work, without the person: the case is
    detached and its contact details and answers are cleared; drafts go."""
    Case.objects.for_resident(user).update(
        resident=None, guest_email="", contact_name="", answers={}
    )
    CaseDraft.objects.filter(user=user).delete()


CASES = CaseSource()


def register() -> None:
    register_timeline_source(CASES)
    register_data_handler(
        DataHandler(
            key="cases", label="Requests", export=export_cases, erase=erase_cases
        )
    )
    register_guest_model(Case, email_field="guest_email", user_field="resident")


register()  # on import, from MyAccountConfig.ready() (like checks.py)
