"""The resident's timeline: every registered source, asked once, newest first."""

from __future__ import annotations

from myaccount.enums import TimelineKind
from myaccount.models import ResidentMessage
from myaccount.registry import (
    DataHandler,
    TimelineItem,
    register_data_handler,
    register_timeline_source,
    timeline_sources,
)


class MessageSource:
    """Messages the council sent to the resident."""

    kind = TimelineKind.MESSAGE

    def items(self, *, user, organisation_ids, limit):
        return [
            TimelineItem(
                kind=self.kind,
                reference=m.reference,
                title=m.subject,
                occurred_at=m.sent_at,
                status="Unread" if m.read_at is None else "Read",
                updates=(m.body,) if m.body else (),
            )
            for m in ResidentMessage.objects.for_resident(user).only(
                "reference", "subject", "body", "sent_at", "read_at"
            )[:limit]
        ]

    def residents_with_reference(self, reference):
        return ResidentMessage.objects.filter(reference__iexact=reference).values(
            "user_id"
        )


def _export_messages(user) -> list[dict]:
    return [
        {
            "reference": m.reference,
            "subject": m.subject,
            "body": m.body,
            "sent_at": m.sent_at.isoformat(),
            "read_at": m.read_at.isoformat() if m.read_at else None,
        }
        for m in ResidentMessage.objects.for_resident(user)
    ]


def _erase_messages(user) -> None:
    ResidentMessage.objects.for_resident(user).delete()


MESSAGES = MessageSource()


def register_builtin_sources() -> None:
    register_timeline_source(MESSAGES)
    register_data_handler(
        DataHandler(
            key="messages",
            label="Messages",
            export=_export_messages,
            erase=_erase_messages,
            models=("myaccount.ResidentMessage",),
        )
    )


def collect(*, user, organisation_ids, limit: int) -> list[TimelineItem]:
    """Every source's newest ``limit`` items, merged newest first (one query each)."""
    items: list[TimelineItem] = []
    for source in timeline_sources():
        items.extend(
            source.items(user=user, organisation_ids=organisation_ids, limit=limit)
        )
    items.sort(key=lambda item: item.occurred_at, reverse=True)
    return items
