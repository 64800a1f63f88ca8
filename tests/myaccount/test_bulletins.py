"""Bulletins: residents subscribe to topics (consent recorded), editors send a
bulletin to a topic through the outbox, by email or text as each resident chose,
and an unsubscribe link works without signing in."""

import re

from django.core import mail

import pytest

from myaccount import actions, bulletins
from myaccount.enums import ContactTopic
from myaccount.models import Bulletin, Profile, TopicConsent
from services import outbox
from services.enums import OutboxTopic
from services.integrations import notify
from services.models import NotifyMessage, OutboxEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def local_notify(settings):
    settings.NOTIFY_PROVIDER = "local"
    notify.LOCAL_TEXTS.clear()


def subscribe(user, topics, *, channels=("email",), phone=""):
    Profile.objects.update_or_create(user=user, defaults={"phone": phone})
    actions.update_contact_preferences(
        user=user, channels=list(channels), topics=list(topics)
    )


def deliver_bulletins():
    for pk in OutboxEvent.objects.filter(topic=OutboxTopic.BULLETIN).values_list(
        "pk", flat=True
    ):
        outbox.deliver(pk)


@pytest.fixture
def bin_news():
    return Bulletin.objects.create(
        topic=ContactTopic.BINS,
        subject="Christmas bin collections",
        body="Collections move by a day over Christmas.",
        sms_text="Bins move by a day over Christmas.",
    )


def test_choosing_and_dropping_topics_records_consent(resident):
    subscribe(resident, ["bins", "roads"])
    subscribe(resident, ["roads"])
    history = [
        (c.topic, c.given, c.source)
        for c in TopicConsent.objects.filter(user=resident).order_by("pk")
    ]
    assert history == [
        ("bins", True, "preferences"),
        ("roads", True, "preferences"),
        ("bins", False, "preferences"),
    ]


def test_an_editor_sends_a_bulletin_once_to_subscribers_as_each_chose(
    admin_client, resident, other_resident, django_user_model, bin_news
):
    subscribe(resident, ["bins"])
    subscribe(other_resident, ["bins"], channels=["sms"], phone="07700 900123")
    bystander = django_user_model.objects.create_user(
        "roads", "roads.fan@example.com", "pw"
    )
    subscribe(bystander, ["roads"])
    page = admin_client.get(f"/admin/residents/bulletins/{bin_news.pk}/send/")
    assert "Send to 2 residents" in page.content.decode()
    mail.outbox.clear()
    response = admin_client.post(f"/admin/residents/bulletins/{bin_news.pk}/send/")
    assert response.status_code == 302
    admin_client.post(f"/admin/residents/bulletins/{bin_news.pk}/send/")  # again
    assert OutboxEvent.objects.filter(topic=OutboxTopic.BULLETIN).count() == 2
    deliver_bulletins()
    [email] = mail.outbox
    assert email.to == [resident.email]
    assert email.subject == "Christmas bin collections"
    link = re.search(r"Unsubscribe: (\S+)", email.body).group(1)
    assert email.extra_headers["List-Unsubscribe"] == f"<{link}>"
    [text] = notify.LOCAL_TEXTS
    assert text["to"] == "07700900123"
    assert text["body"].startswith("Bins move by a day over Christmas. Stop")
    assert NotifyMessage.objects.filter(user=other_resident, channel="sms").exists()
    bin_news.refresh_from_db()
    assert bin_news.recipients == 2 and bin_news.sent_at


def test_the_unsubscribe_link_works_without_signing_in(client, resident, bin_news):
    subscribe(resident, ["bins", "events"])
    bulletins.send_bulletin(bulletin=bin_news, by=None)
    deliver_bulletins()
    link = re.search(r"Unsubscribe: (\S+)", mail.outbox[-1].body).group(1)
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get(f"/{path}")
    assert page.status_code == 200
    assert "Unsubscribe from bins and recycling news" in page.content.decode()
    done = client.post(f"/{path}")
    assert "You have unsubscribed" in done.content.decode()
    assert Profile.objects.get(user=resident).contact_topics == ["events"]
    latest = TopicConsent.objects.filter(user=resident).first()
    assert (latest.topic, latest.given, latest.source) == (
        "bins",
        False,
        "unsubscribe-link",
    )


def test_a_forged_unsubscribe_link_is_refused(client, resident):
    subscribe(resident, ["bins"])
    token = bulletins.unsubscribe_token(resident.pk, "bins")
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.post(f"/account/unsubscribe/{forged}/").status_code == 404
    assert Profile.objects.get(user=resident).contact_topics == ["bins"]


def test_a_resident_who_unsubscribed_before_delivery_gets_nothing(resident, bin_news):
    subscribe(resident, ["bins"])
    bulletins.send_bulletin(bulletin=bin_news, by=None)
    bulletins.unsubscribe(user_id=resident.pk, topic="bins")
    mail.outbox.clear()
    deliver_bulletins()
    assert mail.outbox == []
