"""Bulletins: editors send news on a topic to the residents who subscribed to it.

``send_bulletin`` writes one outbox row per subscriber in one transaction (so a
bulletin is sent to everyone or no one, once); the outbox delivers each row
after commit through the notifications provider, building the message with
``bulletin_notifications`` (registered with ``services.outbox`` when the app
starts). A resident who unsubscribed between the send and the delivery gets
nothing. Each message carries a signed unsubscribe link that works without
signing in (and, by email, as the one-click unsubscribe Notify offers).
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from myaccount.contact_routes import route_for
from myaccount.enums import ContactTopic
from myaccount.models import Bulletin, ConsentSource, Profile, TopicConsent
from services.enums import OutboxTopic
from services.integrations.notify import SMS, Notification
from services.models import OutboxEvent

SALT = "myaccount.bulletin-unsubscribe"


class AlreadySent(Exception):
    pass


def unsubscribe_token(user_id: int, topic: str) -> str:
    return signing.dumps({"u": user_id, "t": topic}, salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """The resident and topic a link is for; None for a forged or broken one.
    Links never expire: an old bulletin's link must still work."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("t") not in ContactTopic.values:
        return None
    if not isinstance(data.get("u"), int):
        return None
    return data["u"], data["t"]


def unsubscribe_url(user_id: int, topic: str) -> str:
    path = reverse("myaccount:unsubscribe", args=[unsubscribe_token(user_id, topic)])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def subscribers(topic: str):
    """Profiles of active residents subscribed to ``topic`` (a text match on the
    JSON list works the same on PostgreSQL and SQLite)."""
    return Profile.objects.filter(
        contact_topics__icontains=f'"{topic}"', user__is_active=True
    )


def record_topic_changes(*, user, before, after, source: str) -> None:
    before, after = set(before or []), set(after or [])
    TopicConsent.objects.bulk_create(
        [
            TopicConsent(user=user, topic=t, given=True, source=source)
            for t in sorted(after - before)
        ]
        + [
            TopicConsent(user=user, topic=t, given=False, source=source)
            for t in sorted(before - after)
        ]
    )


@transaction.atomic
def unsubscribe(*, user_id: int, topic: str) -> bool:
    """Take ``topic`` off the resident's subscriptions; False if it was not on."""
    profile = Profile.objects.select_for_update().filter(user_id=user_id).first()
    if profile is None or topic not in (profile.contact_topics or []):
        return False
    before = list(profile.contact_topics)
    profile.contact_topics = [t for t in before if t != topic]
    profile.save(update_fields=["contact_topics", "updated_at"])
    record_topic_changes(
        user=profile.user,
        before=before,
        after=profile.contact_topics,
        source=ConsentSource.UNSUBSCRIBE_LINK,
    )
    return True


@transaction.atomic
def send_bulletin(*, bulletin: Bulletin, by) -> int:
    """Queue the bulletin for every current subscriber; once only."""
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.sent_at:
        raise AlreadySent("This bulletin has already been sent.")
    user_ids = list(subscribers(bulletin.topic).values_list("user_id", flat=True))
    rows = OutboxEvent.objects.bulk_create(
        [
            OutboxEvent(
                topic=OutboxTopic.BULLETIN,
                key=f"bulletin:{bulletin.pk}:{user_id}",
                payload={"bulletin": bulletin.pk, "user": user_id},
            )
            for user_id in user_ids
        ],
        batch_size=1000,
    )
    bulletin.sent_at = timezone.now()
    bulletin.sent_by = by
    bulletin.recipients = len(user_ids)
    bulletin.save(update_fields=["sent_at", "sent_by", "recipients"])
    ids = [row.pk for row in rows]

    def enqueue():
        from services.tasks import deliver_outbox

        for pk in ids:
            deliver_outbox.delay(pk)

    transaction.on_commit(enqueue)
    return len(user_ids)


def bulletin_notifications(row: OutboxEvent) -> list[Notification]:
    """The text or email of one bulletin to one resident, as they chose."""
    bulletin = Bulletin.objects.filter(pk=row.payload.get("bulletin")).first()
    profile = (
        Profile.objects.select_related("user")
        .filter(user_id=row.payload.get("user"), user__is_active=True)
        .first()
    )
    if bulletin is None or profile is None:
        return []
    if bulletin.topic not in (profile.contact_topics or []):
        return []  # unsubscribed since the bulletin was sent
    user = profile.user
    route = route_for(user)
    link = unsubscribe_url(user.pk, bulletin.topic)
    if bulletin.sms_text and route.sms_to:
        return [
            Notification(
                to=route.sms_to,
                subject="",
                body=f"{bulletin.sms_text} Stop these texts: {link}",
                reference=f"{row.key}:sms",
                channel=SMS,
                user_id=user.pk,
            )
        ]
    if not (user.email and route.email):
        return []
    topic = ContactTopic(bulletin.topic).label
    return [
        Notification(
            to=user.email,
            subject=bulletin.subject,
            body=(
                f"{bulletin.body}\n\n"
                f"You get these emails because you subscribed to news about "
                f"{topic.lower()}. Unsubscribe: {link}\n"
            ),
            reference=row.key,
            user_id=user.pk,
            unsubscribe_url=link,
        )
    ]


# ------------------------------------------------------------------ data rights


def export_messages(user) -> list[dict]:
    """The emails and texts sent to the resident and what became of them."""
    from services.models import NotifyMessage

    return [
        {
            "sent": m.created_at.isoformat(),
            "how": m.get_channel_display(),
            "to": m.recipient_hint,
            "about": m.case.reference if m.case else "Bulletin",
            "delivery": m.get_status_display(),
        }
        for m in NotifyMessage.objects.for_person(user)
    ]


def erase_messages(user) -> None:
    """Delivery records stay with their case, without a recipient or account."""
    from services.models import NotifyMessage

    NotifyMessage.objects.filter(user=user).update(user=None, recipient_hint="")


def export_topic_consent(user) -> list[dict]:
    return [
        {
            "at": c.created_at.isoformat(),
            "topic": c.get_topic_display(),
            "subscribed": "yes" if c.given else "no",
            "where": c.get_source_display(),
        }
        for c in TopicConsent.objects.filter(user=user)
    ]


def erase_topic_consent(user) -> None:
    TopicConsent.objects.filter(user=user).delete()


def register() -> None:
    from myaccount.registry import DataHandler, register_data_handler

    register_data_handler(
        DataHandler(
            key="notify_messages",
            label="Emails and texts sent to you",
            export=export_messages,
            erase=erase_messages,
            models=("services.NotifyMessage",),
        )
    )
    register_data_handler(
        DataHandler(
            key="topic_consent",
            label="Your news topic choices",
            export=export_topic_consent,
            erase=erase_topic_consent,
            models=("myaccount.TopicConsent",),
        )
    )
