"""Webhooks to back-office systems: signed (Standard Webhooks, checked with its
reference library), sent through the outbox, retried with backoff for more than
a day, then dead letters staff resend."""

import datetime
import json

from django.utils import timezone

import pytest
import time_machine
from standardwebhooks import Webhook, WebhookVerificationError

from services import actions, outbox
from services.enums import CaseStatus, OutboxTopic
from services.models import OutboxEvent, WebhookSubscription
from services.tasks import deliver_pending_outbox
from tests.services import webhook_receiver


@pytest.fixture
def receiver():
    r = webhook_receiver.start()
    yield r
    r.server.shutdown()
    r.server.server_close()


@pytest.fixture
def subscription(bin_service, receiver):
    sub = WebhookSubscription.objects.create(name="Waste crew system", url=receiver.url)
    sub.services.add(bin_service)
    receiver.secrets = [sub.secret]
    return sub


def sweep_for(traveller, minutes: int, step_seconds: int = 60):
    for _ in range(minutes * 60 // step_seconds):
        traveller.shift(step_seconds)
        deliver_pending_outbox.apply()


def verified(secret: str, received) -> dict:
    return Webhook(secret).verify(received.body, received.headers)


def webhook_type(received) -> str:
    return json.loads(received.body)["type"]


def webhook_rows():
    return OutboxEvent.objects.filter(topic=OutboxTopic.WEBHOOK)


@pytest.mark.django_db
def test_each_case_change_reaches_the_receiver_signed_and_verifiable(
    bin_service, resident, subscription, receiver
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        case = actions.open_case(service=bin_service, answers={}, resident=resident)
        actions.change_status(case=case, to_status=CaseStatus.IN_PROGRESS, actor=None)
        actions.add_note(case=case, actor=None, text="Crew on the way", public=True)
        actions.add_note(case=case, actor=None, text="staff only", public=False)
        actions.change_status(case=case, to_status=CaseStatus.RESOLVED, actor=None)
        sweep_for(traveller, minutes=1)

    assert all(r.verified_with == [subscription.secret] for r in receiver.received)
    types = [webhook_type(r) for r in receiver.received]
    assert sorted(types) == sorted(
        [
            "case.created",
            "case.status_changed",
            "case.updated",
            "case.status_changed",
            "case.closed",
        ]
    )
    update = next(
        json.loads(r.body) for r in receiver.received if b"case.updated" in r.body
    )
    assert update["data"]["case"]["reference"] == case.reference
    assert update["data"]["event"]["text"] == "Crew on the way"
    # Nothing personal leaves with the event.
    assert b"resident@example.com" not in b"".join(r.body for r in receiver.received)
    assert all(r.delivered_at and r.response_code == 204 for r in webhook_rows())


@pytest.mark.django_db
def test_a_forged_or_tampered_message_fails_verification(
    bin_service, resident, subscription, receiver
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        actions.open_case(service=bin_service, answers={}, resident=resident)
        sweep_for(traveller, minutes=1)
        (got,) = receiver.received
        tampered = got.body.replace(b"case.created", b"case.closed")
        with pytest.raises(WebhookVerificationError):
            Webhook(subscription.secret).verify(tampered, got.headers)
        other = WebhookSubscription(name="x", url=receiver.url).secret
        with pytest.raises(WebhookVerificationError):
            Webhook(other).verify(got.body, got.headers)


@pytest.mark.django_db
def test_only_subscribed_services_and_event_types_are_sent(
    bin_service, street_service, resident, subscription, receiver
):
    subscription.events = ["case.closed"]
    subscription.save()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        case = actions.open_case(service=bin_service, answers={}, resident=resident)
        actions.open_case(service=street_service, answers={}, resident=resident)
        actions.change_status(case=case, to_status=CaseStatus.REJECTED, actor=None)
        sweep_for(traveller, minutes=1)
    assert [json.loads(r.body)["type"] for r in receiver.received] == ["case.closed"]


@pytest.mark.django_db
def test_a_receiver_down_for_ten_minutes_gets_every_event_exactly_once_by_id(
    bin_service, resident, subscription, receiver
):
    receiver.failing = True
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        cases = []
        for minute in range(10):
            cases.append(
                actions.open_case(service=bin_service, answers={}, resident=resident)
            )
            if minute % 3 == 0:
                actions.change_status(
                    case=cases[-1], to_status=CaseStatus.IN_PROGRESS, actor=None
                )
            sweep_for(traveller, minutes=1)
        receiver.failing = False
        sweep_for(traveller, minutes=90)

    assert all(r.verified_with == [subscription.secret] for r in receiver.received)
    rows = list(webhook_rows())
    assert len(rows) == 14
    assert all(r.delivered_at for r in rows)
    by_id = receiver.by_id()
    assert set(by_id) == {r.key for r in rows}
    # Retries repeat the same message: same id, same body.
    assert all(len({r.body for r in copies}) == 1 for copies in by_id.values())
    successes = [r for r in receiver.received if r.headers["webhook-id"] in by_id]
    assert len(successes) > len(rows)  # it really was retried
    created = [
        json.loads(copies[0].body)["data"]["case"]["reference"]
        for copies in by_id.values()
        if json.loads(copies[0].body)["type"] == "case.created"
    ]
    assert sorted(created) == sorted(c.reference for c in cases)


@pytest.mark.django_db
def test_retries_go_on_for_more_than_a_day_then_staff_resend_the_dead_letter(
    bin_service, resident, subscription, receiver, client, django_user_model
):
    receiver.failing = True
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        actions.open_case(service=bin_service, answers={}, resident=resident)
        sweep_for(traveller, minutes=30 * 60, step_seconds=600)
        (row,) = webhook_rows()
        assert row.dead_at is not None and row.delivered_at is None
        assert row.response_code == 500 and row.last_error == "Answered HTTP 500"
        tries = [r for r in receiver.received]
        assert len(tries) == outbox.max_attempts(row) == 9
        assert row.dead_at - start >= datetime.timedelta(hours=24)
        # The gaps between tries grow.
        stamps = [int(r.headers["webhook-timestamp"]) for r in tries]
        gaps = [b - a for a, b in zip(stamps, stamps[1:], strict=False)]
        assert gaps == sorted(gaps)

        staff = django_user_model.objects.create_superuser(
            "ops", "ops@example.com", "pw-ops-12345"
        )
        from tests.myaccount.factories import with_two_factor

        with_two_factor(staff)
        client.force_login(staff)
        page = client.get("/admin/outbox/?state=dead").content.decode()
        assert "Waste crew system" in page and "500" in page
        receiver.failing = False
        client.post("/admin/outbox/resend/", {"rows": [row.pk]})
        outbox.deliver(row.pk)
    row.refresh_from_db()
    assert row.delivered_at and row.response_code == 204
    assert receiver.received[-1].headers["webhook-id"] == row.key


@pytest.mark.django_db
def test_after_rotation_both_secrets_verify_until_the_grace_period_ends(
    bin_service, resident, subscription, receiver
):
    old = subscription.secret
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        subscription.rotate_secret()
        subscription.save()
        receiver.secrets = [old, subscription.secret]
        actions.open_case(service=bin_service, answers={}, resident=resident)
        sweep_for(traveller, minutes=1)
        (first,) = receiver.received
        assert first.headers["webhook-signature"].count("v1,") == 2
        assert first.verified_with == [old, subscription.secret]

        traveller.shift(datetime.timedelta(hours=25))
        actions.open_case(service=bin_service, answers={}, resident=resident)
        sweep_for(traveller, minutes=1)
        second = receiver.received[-1]
        assert second.verified_with == [subscription.secret]


@pytest.mark.django_db
def test_a_switched_off_subscription_sends_nothing(
    bin_service, resident, subscription, receiver
):
    subscription.active = False
    subscription.save()
    actions.open_case(service=bin_service, answers={}, resident=resident)
    assert not webhook_rows().exists()


@pytest.fixture
def ops(django_user_model):
    from tests.myaccount.factories import with_two_factor

    user = django_user_model.objects.create_superuser(
        "ops", "ops@example.com", "pw-ops-12345"
    )
    with_two_factor(user)
    return user


@pytest.mark.django_db
def test_staff_add_a_subscription_then_read_and_rotate_its_secret(
    client, ops, bin_service, receiver
):
    client.force_login(ops)
    listing = client.get("/admin/snippets/services/webhooksubscription/")
    assert listing.status_code == 200
    response = client.post(
        "/admin/snippets/services/webhooksubscription/add/",
        {
            "name": "Crew app",
            "url": receiver.url,
            "services": [bin_service.pk],
            "events": '["case.created", "case.closed"]',
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    sub = WebhookSubscription.objects.get(name="Crew app")
    assert sub.secret.startswith("whsec_") and sub.events == [
        "case.created",
        "case.closed",
    ]
    page = client.get(f"/admin/integrations/webhooks/{sub.pk}/secret/")
    assert sub.secret in page.content.decode()
    old = sub.secret
    client.post(f"/admin/integrations/webhooks/{sub.pk}/secret/")
    sub.refresh_from_db()
    assert sub.secret != old and sub.signing_secrets() == [sub.secret, old]


@pytest.mark.django_db
def test_a_subscription_with_an_unknown_event_type_is_refused(client, ops, bin_service):
    client.force_login(ops)
    response = client.post(
        "/admin/snippets/services/webhooksubscription/add/",
        {
            "name": "Crew app",
            "url": "https://crew.example.com/hooks",
            "services": [bin_service.pk],
            "events": '["case.deleted"]',
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "List one or more of" in response.content.decode()
    assert not WebhookSubscription.objects.exists()


@pytest.mark.django_db
def test_only_staff_allowed_to_manage_subscriptions_see_the_secret(
    client, waste_officer, subscription
):
    client.force_login(waste_officer)
    page = client.get(f"/admin/integrations/webhooks/{subscription.pk}/secret/")
    assert page.status_code in (302, 403)
    assert subscription.secret not in page.content.decode()
