"""A resident's interactions with the council (``services.Interaction``) in their
data download and in account deletion."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from myaccount.enums import TimelineKind
from myaccount.registry import (
    DataHandler,
    TimelineItem,
    register_data_handler,
    register_guest_model,
    register_timeline_source,
)
from services.models import Interaction


class InteractionSource:
    """Calls, emails, visits and letters the council logged for the resident
    (their account's, and those joined to it through their contact), in one
    query. The note staff typed is internal and is not shown."""

    kind = TimelineKind.CONTACT

    def items(self, *, user, organisation_ids, limit):
        logged = (
            Interaction.objects.for_resident(user)
            .filter(anonymised_at__isnull=True)
            .select_related("reason", "case")
            .only(
                "channel",
                "outcome",
                "created_at",
                "reason__name",
                "case__reference",
            )[:limit]
        )
        return [
            TimelineItem(
                kind=self.kind,
                reference=i.case.reference if i.case_id else "",
                title=f"{i.get_channel_display()}: {i.reason.name}",
                occurred_at=i.created_at,
                status=i.get_outcome_display(),
                url=reverse("services:my_case_detail", args=[i.case.reference])
                if i.case_id
                else "",
            )
            for i in logged
        ]


def export_interactions(user) -> list[dict]:
    return [
        {
            "at": i.created_at.isoformat(),
            "channel": i.get_channel_display(),
            "reason": i.reason.name,
            "outcome": i.get_outcome_display(),
            "case": i.case.reference if i.case_id else "",
        }
        for i in Interaction.objects.for_resident(user).select_related("reason", "case")
    ]


def erase_interactions(user) -> None:
    """The resident's interactions, and those logged for them by an email address
    of theirs before they had an account, keep only what the figures need
    (``services.erasure.erase_interactions``)."""
    from myaccount.erasure import email_addresses
    from services.erasure import erase_interactions as erase_records

    mine = Q(resident=user) | Q(contact__user=user)
    for email in email_addresses(user):
        mine |= Q(resident__isnull=True, contact_email__iexact=email)
    erase_records(Interaction.objects.filter(mine))
    Interaction.objects.filter(staff=user).update(staff=None)


def register() -> None:
    register_timeline_source(InteractionSource())
    register_data_handler(
        DataHandler(
            key="interactions",
            label="Calls, emails, visits and letters",
            export=export_interactions,
            erase=erase_interactions,
            models=("services.Interaction",),
        )
    )
    # Logged for a person by their email address: joined to the account they
    # later make and verify with it (``myaccount.guest_claim``).
    register_guest_model(
        Interaction, email_field="contact_email", user_field="resident"
    )


register()  # on import, from MyAccountConfig.ready()
