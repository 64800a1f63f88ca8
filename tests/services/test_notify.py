"""GOV.UK Notify: the client against Notify's recorded answers, texts for residents
who chose them, delivery receipts (forged and replayed ones included) and the
email that replaces a text the network refused for good."""

import json
from pathlib import Path

from django.contrib.auth.models import Group
from django.core import mail

import jwt
import pytest
import responses

from myaccount.models import Profile
from services import actions, outbox
from services.enums import CaseStatus, OutboxTopic
from services.integrations import notify
from services.models import ApiClient, MessageStatus, NotifyMessage, OutboxEvent
from tests.myaccount.factories import with_two_factor

FIXTURES = Path(__file__).parent.parent / "fixtures" / "http" / "notify"
SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
NOTIFY_KEY = f"test_key-{SERVICE_ID}-{SECRET}"
EMAIL_TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce08a"
SMS_TEMPLATE = "2a4b6e6c-7c5a-4d3b-9b76-2d4c6e8f0a1b"
NOTIFY_URL = "https://api.notifications.service.gov.uk/v2/notifications"
CALLBACK_TOKEN = "notify-callback-token-0123456789abcdef"  # noqa: S105
RECEIPTS = "/api/notify/receipts/"


def recorded(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


@pytest.fixture
def govuk_notify(settings):
    settings.NOTIFY_PROVIDER = "govuk_notify"
    settings.NOTIFY_API_KEY = NOTIFY_KEY
    settings.NOTIFY_EMAIL_TEMPLATE_ID = EMAIL_TEMPLATE
    settings.NOTIFY_SMS_TEMPLATE_ID = SMS_TEMPLATE
    settings.NOTIFY_CALLBACK_TOKEN = CALLBACK_TOKEN
    return settings


@pytest.fixture
def local_notify(settings):
    settings.NOTIFY_PROVIDER = "local"
    settings.NOTIFY_CALLBACK_TOKEN = CALLBACK_TOKEN
    notify.LOCAL_TEXTS.clear()
    mail.outbox.clear()
    return settings


def prefers(user, *, sms: bool, email: bool, phone="07700 900982"):
    Profile.objects.update_or_create(
        user=user,
        defaults={"phone": phone, "contact_by_sms": sms, "contact_by_email": email},
    )


def deliver_all():
    for pk in (
        OutboxEvent.objects.pending()
        .exclude(topic=OutboxTopic.WEBHOOK)
        .values_list("pk", flat=True)
    ):
        outbox.deliver(pk)


def post_receipt(client, body, token=CALLBACK_TOKEN):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(
        RECEIPTS, json.dumps(body), content_type="application/json", **headers
    )


# The client, against Notify's recorded answers


def test_the_local_provider_is_the_default_and_keeps_texts_on_the_machine(settings):
    settings.NOTIFY_PROVIDER = "local"
    notify.LOCAL_TEXTS.clear()
    client = notify.get_notify_client()
    assert isinstance(client, notify.LocalNotifyClient)
    client.send(notify.Notification("a@example.com", "Subject", "Body", "ref-1"))
    assert mail.outbox[-1].extra_headers["X-Reference"] == "ref-1"
    sent = client.send(
        notify.Notification("07700900982", "", "Hello", "ref-2", channel=notify.SMS)
    )
    assert sent.status == "delivered"
    assert notify.LOCAL_TEXTS[-1]["to"] == "07700900982"


@responses.activate
def test_an_email_is_sent_to_notify_signed_with_the_keys_jwt(govuk_notify):
    call = responses.post(
        f"{NOTIFY_URL}/email", json=recorded("send_email_201.json"), status=201
    )
    client = notify.get_notify_client()
    assert isinstance(client, notify.GovUKNotifyClient)
    sent = client.send(
        notify.Notification("a@example.com", "Subject", "Body", "case.opened:1:1")
    )
    assert sent.provider_id == "740e5834-3a29-46b4-9a6f-16142fde533a"
    assert sent.status == "sending"
    request = call.calls[0].request
    assert json.loads(request.body) == {
        "email_address": "a@example.com",
        "template_id": EMAIL_TEMPLATE,
        "personalisation": {"subject": "Subject", "body": "Body"},
        "reference": "case.opened:1:1",
    }
    # Notify's documented auth: an HS256 JWT issued by the service id and signed
    # with the key's secret.
    token = request.headers["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims["iss"] == SERVICE_ID and "iat" in claims


@responses.activate
def test_a_text_is_sent_with_the_sms_template(govuk_notify):
    call = responses.post(
        f"{NOTIFY_URL}/sms", json=recorded("send_sms_201.json"), status=201
    )
    sent = notify.get_notify_client().send(
        notify.Notification(
            "07700900982", "", "Your request is in progress.", "r:sms", channel="sms"
        )
    )
    assert sent.provider_id == "1b2d4f6a-8c0e-4a2b-9d4f-6a8c0e2b4d6f"
    assert json.loads(call.calls[0].request.body) == {
        "phone_number": "07700900982",
        "template_id": SMS_TEMPLATE,
        "personalisation": {"body": "Your request is in progress."},
        "reference": "r:sms",
    }


@responses.activate
def test_a_refused_message_is_permanent_and_a_rate_limit_is_not(govuk_notify):
    responses.post(
        f"{NOTIFY_URL}/email", json=recorded("send_email_400.json"), status=400
    )
    responses.post(f"{NOTIFY_URL}/sms", json=recorded("send_sms_429.json"), status=429)
    client = notify.get_notify_client()
    with pytest.raises(notify.PermanentNotificationError, match="team-only"):
        client.send(notify.Notification("a@example.com", "S", "B", "r"))
    with pytest.raises(notify.NotificationError, match="rate limit") as raised:
        client.send(notify.Notification("07700900982", "", "B", "r2", channel="sms"))
    assert not isinstance(raised.value, notify.PermanentNotificationError)


def test_a_misconfigured_notify_fails_the_system_check(settings):
    from services.checks import check_case_integrations

    settings.NOTIFY_PROVIDER = "govuk_notify"
    settings.NOTIFY_API_KEY = NOTIFY_KEY
    settings.NOTIFY_EMAIL_TEMPLATE_ID = EMAIL_TEMPLATE
    settings.NOTIFY_SMS_TEMPLATE_ID = ""
    assert "services.E003" in [e.id for e in check_case_integrations(None)]
    settings.NOTIFY_PROVIDER = "carrier-pigeon"
    assert "services.E013" in [e.id for e in check_case_integrations(None)]


# Residents' contact preferences


@pytest.mark.django_db
def test_a_resident_who_chose_texts_is_texted_not_emailed(
    local_notify, bin_service, resident
):
    prefers(resident, sms=True, email=False)
    case = actions.open_case(service=bin_service, answers={}, resident=resident)
    actions.change_status(
        case=case, to_status=CaseStatus.IN_PROGRESS, actor=None, message="Crew sent"
    )
    deliver_all()
    texts = [t for t in notify.LOCAL_TEXTS if t["to"] == "07700900982"]
    assert len(texts) == 2
    assert f"We have received your request {case.reference}" in texts[0]["body"]
    assert "is now: In progress. Crew sent" in texts[1]["body"]
    assert mail.outbox == []
    messages = NotifyMessage.objects.for_case(case)
    assert {m.channel for m in messages} == {"sms"}
    assert all(m.recipient_hint == "••••• •••982" for m in messages)


@pytest.mark.django_db
def test_a_resident_who_chose_both_gets_both_and_others_only_email(
    local_notify, bin_service, resident, other_resident
):
    prefers(resident, sms=True, email=True)
    prefers(other_resident, sms=False, email=True)
    actions.open_case(service=bin_service, answers={}, resident=resident)
    actions.open_case(service=bin_service, answers={}, resident=other_resident)
    actions.open_case(service=bin_service, answers={}, guest_email="g@example.com")
    deliver_all()
    assert [t["to"] for t in notify.LOCAL_TEXTS] == ["07700900982"]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "g@example.com",
        "other@example.com",
        "resident@example.com",
    ]


@pytest.mark.django_db
def test_texts_go_only_to_mobile_numbers(local_notify, bin_service, resident):
    prefers(resident, sms=True, email=False, phone="01632 960 001")
    actions.open_case(service=bin_service, answers={}, resident=resident)
    deliver_all()
    assert list(notify.LOCAL_TEXTS) == []
    assert [m.to[0] for m in mail.outbox] == ["resident@example.com"]


@responses.activate
@pytest.mark.django_db
def test_a_retried_delivery_does_not_send_what_notify_already_took(
    govuk_notify, bin_service, resident
):
    """Notify took the text, then was down for the email: the retry sends only
    the email."""
    prefers(resident, sms=True, email=True)
    case = actions.open_case(service=bin_service, answers={}, resident=resident)
    sms = responses.post(
        f"{NOTIFY_URL}/sms", json=recorded("send_sms_201.json"), status=201
    )
    email = responses.post(f"{NOTIFY_URL}/email", status=503, json={})
    row = OutboxEvent.objects.get(case=case, topic=OutboxTopic.CASE_OPENED)
    with pytest.raises(notify.NotificationError):
        outbox.deliver(row.pk)
    responses.replace(
        responses.POST,
        f"{NOTIFY_URL}/email",
        json=recorded("send_email_201.json"),
        status=201,
    )
    assert outbox.deliver(row.pk) is True
    assert len(sms.calls) == 1
    assert NotifyMessage.objects.for_case(case).count() == 2
    assert email.call_count >= 1


# Templates per service and kind of message

SERVICE_TEMPLATES = {
    "notify_confirmation_email": "0b6a4b5e-1c2d-4e3f-8a9b-0c1d2e3f4a01",
    "notify_confirmation_sms": "0b6a4b5e-1c2d-4e3f-8a9b-0c1d2e3f4a02",
    "notify_update_email": "0b6a4b5e-1c2d-4e3f-8a9b-0c1d2e3f4a03",
    "notify_update_sms": "0b6a4b5e-1c2d-4e3f-8a9b-0c1d2e3f4a04",
    "notify_closed_email": "0b6a4b5e-1c2d-4e3f-8a9b-0c1d2e3f4a05",
    "notify_closed_sms": "0b6a4b5e-1c2d-4e3f-8a9b-0c1d2e3f4a06",
}


def sent_templates(calls) -> list[tuple[str, str]]:
    """(channel, template id) of each message Notify was asked to send."""
    found = []
    for call in calls:
        body = json.loads(call.request.body)
        channel = "sms" if "phone_number" in body else "email"
        found.append((channel, body["template_id"]))
    return found


@responses.activate
@pytest.mark.django_db
def test_each_message_uses_its_services_template_for_its_kind_and_channel(
    govuk_notify, bin_service, street_service, resident
):
    for name, template_id in SERVICE_TEMPLATES.items():
        setattr(bin_service, name, template_id)
    bin_service.full_clean()
    bin_service.save()
    email = responses.post(
        f"{NOTIFY_URL}/email", json=recorded("send_email_201.json"), status=201
    )
    sms = responses.post(
        f"{NOTIFY_URL}/sms", json=recorded("send_sms_201.json"), status=201
    )
    prefers(resident, sms=True, email=True)
    case = actions.open_case(service=bin_service, answers={}, resident=resident)
    deliver_all()
    actions.change_status(
        case=case, to_status=CaseStatus.IN_PROGRESS, actor=None, message="Crew sent"
    )
    actions.add_note(case=case, actor=None, text="On Tuesday", public=True)
    deliver_all()
    actions.change_status(
        case=case, to_status=CaseStatus.RESOLVED, actor=None, message="Collected"
    )
    deliver_all()
    t = SERVICE_TEMPLATES
    assert sent_templates(responses.calls) == [
        ("sms", t["notify_confirmation_sms"]),
        ("email", t["notify_confirmation_email"]),
        ("sms", t["notify_update_sms"]),
        ("email", t["notify_update_email"]),
        ("sms", t["notify_update_sms"]),
        ("email", t["notify_update_email"]),
        ("sms", t["notify_closed_sms"]),
        ("email", t["notify_closed_email"]),
    ]
    # A template may word the message itself from the case's fields.
    closed = json.loads(email.calls[-1].request.body)["personalisation"]
    assert closed["reference"] == case.reference
    assert closed["service"] == "Missed bin collection"
    assert closed["status"] == "Resolved"
    assert "Collected" in closed["body"]
    assert json.loads(sms.calls[0].request.body)["personalisation"]["reference"] == (
        case.reference
    )

    # A service without its own templates uses the platform's.
    responses.calls.reset()
    actions.open_case(service=street_service, answers={}, resident=resident)
    deliver_all()
    assert sent_templates(responses.calls) == [
        ("sms", SMS_TEMPLATE),
        ("email", EMAIL_TEMPLATE),
    ]


@pytest.mark.django_db
def test_a_services_template_must_be_a_notify_template_id(client, bin_service):
    from django.core.exceptions import ValidationError

    bin_service.notify_update_sms = "update-text"
    with pytest.raises(ValidationError) as raised:
        bin_service.full_clean()
    assert list(raised.value.message_dict) == ["notify_update_sms"]

    from django.contrib.auth import get_user_model

    ops = get_user_model().objects.create_superuser(
        "ops", "ops@example.com", "pw-ops-12345"
    )
    with_two_factor(ops)
    client.force_login(ops)
    page = client.get(
        f"/admin/snippets/services/servicedefinition/edit/{bin_service.pk}/"
    ).content.decode()
    assert "GOV.UK Notify templates" in page
    assert 'name="notify_closed_sms"' in page


# Delivery receipts


@pytest.fixture
def texted_case(govuk_notify, bin_service, resident):
    """A case whose status change was texted through Notify (recorded answer)."""
    prefers(resident, sms=True, email=False)
    case = actions.open_case(service=bin_service, answers={}, resident=resident)
    with responses.RequestsMock() as mocked:
        mocked.post(
            f"{NOTIFY_URL}/sms",
            json=recorded("send_sms_201.json"),
            status=201,
        )
        outbox.deliver(OutboxEvent.objects.get(case=case).pk)
    return case


@pytest.mark.django_db
def test_a_receipt_updates_the_status_staff_see_on_the_case(
    client, texted_case, waste_officer
):
    message = NotifyMessage.objects.get(case=texted_case)
    assert message.status == MessageStatus.SENDING
    response = post_receipt(client, recorded("callback_sms_delivered.json"))
    assert response.status_code == 200
    assert response.json() == {"changed": True}
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    client.force_login(waste_officer)
    page = client.get(f"/admin/cases/{texted_case.pk}/").content.decode()
    assert "Messages to the resident" in page
    assert "Text message" in page and "Delivered" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "token",
    [None, "wrong-token", CALLBACK_TOKEN[:-1], CALLBACK_TOKEN + "x"],
)
def test_a_forged_receipt_is_refused_and_changes_nothing(client, texted_case, token):
    response = post_receipt(
        client, recorded("callback_sms_permanent_failure.json"), token=token
    )
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert NotifyMessage.objects.get(case=texted_case).status == "sending"
    assert not OutboxEvent.objects.filter(topic=OutboxTopic.SMS_FALLBACK).exists()


@pytest.mark.django_db
def test_with_no_callback_token_configured_every_receipt_is_refused(
    client, texted_case, settings
):
    settings.NOTIFY_CALLBACK_TOKEN = ""
    response = post_receipt(client, recorded("callback_sms_delivered.json"), token="")
    assert response.status_code == 401
    response = client.post(
        RECEIPTS,
        json.dumps(recorded("callback_sms_delivered.json")),
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer ",
    )
    assert response.status_code == 401


@pytest.mark.django_db
def test_another_systems_token_cannot_touch_receipts_or_the_reverse(
    client, texted_case, bin_service
):
    """A case API token is no use on Notify's receipts, and Notify's token is no
    use on the case API."""
    api_client = ApiClient.objects.create(name="Waste crew system", can_write=True)
    api_client.services.add(bin_service)
    api_token = api_client.issue_token()
    api_client.save()
    response = post_receipt(
        client, recorded("callback_sms_permanent_failure.json"), token=api_token
    )
    assert response.status_code == 401
    assert NotifyMessage.objects.get(case=texted_case).status == "sending"
    response = client.post(
        f"/api/v1/cases/{texted_case.reference}/status/",
        json.dumps({"status": "rejected", "message": "No"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {CALLBACK_TOKEN}",
    )
    assert response.status_code == 401
    texted_case.refresh_from_db()
    assert texted_case.status == CaseStatus.SUBMITTED


@pytest.mark.django_db
def test_a_receipt_with_fields_notify_does_not_send_is_refused(client, texted_case):
    for wrong, field in (({"extra": 1}, "extra"), ({"status": "read"}, "status")):
        response = post_receipt(client, recorded("callback_sms_delivered.json") | wrong)
        assert response.status_code == 400
        assert list(response.json()["errors"]) == [field]
    assert NotifyMessage.objects.get(case=texted_case).status == "sending"


@pytest.mark.django_db
def test_a_text_that_failed_for_good_becomes_one_email_however_often_replayed(
    client, texted_case, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFY_PROVIDER = "local"  # the fallback email, sent locally
    mail.outbox.clear()
    failure = recorded("callback_sms_permanent_failure.json")
    with django_capture_on_commit_callbacks(execute=True):
        assert post_receipt(client, failure).json() == {"changed": True}
    for replay in (failure, recorded("callback_sms_delivered.json"), failure):
        with django_capture_on_commit_callbacks(execute=True):
            assert post_receipt(client, replay).json() == {"changed": False}
    message = NotifyMessage.objects.get(case=texted_case, channel="sms")
    assert message.status == MessageStatus.PERMANENT_FAILURE
    assert OutboxEvent.objects.filter(topic=OutboxTopic.SMS_FALLBACK).count() == 1
    assert [m.to[0] for m in mail.outbox] == ["resident@example.com"]
    assert texted_case.reference in mail.outbox[0].subject
    assert NotifyMessage.objects.filter(case=texted_case, channel="email").count() == 1


@pytest.mark.django_db
def test_a_text_that_failed_while_email_was_also_sent_needs_no_fallback(
    local_notify, bin_service, resident
):
    from services.notify_receipts import apply_receipt

    prefers(resident, sms=True, email=True)
    case = actions.open_case(service=bin_service, answers={}, resident=resident)
    deliver_all()
    text = NotifyMessage.objects.get(case=case, channel="sms")
    NotifyMessage.objects.filter(pk=text.pk).update(status="sending")
    assert apply_receipt(provider_id=text.provider_id, status="permanent-failure")
    assert not OutboxEvent.objects.filter(topic=OutboxTopic.SMS_FALLBACK).exists()


@pytest.mark.django_db
def test_a_bounced_email_flags_the_contact_on_the_person(
    client, govuk_notify, bin_service, resident, django_user_model
):
    case = actions.open_case(service=bin_service, answers={}, resident=resident)
    with responses.RequestsMock() as mocked:
        mocked.post(
            f"{NOTIFY_URL}/email", json=recorded("send_email_201.json"), status=201
        )
        outbox.deliver(OutboxEvent.objects.get(case=case).pk)
    advisor = django_user_model.objects.create_user(
        "advisor", "advisor@guildhall.example", "pw-advisor-123", is_staff=True
    )
    advisor.groups.add(Group.objects.get(name="Contact centre"))
    with_two_factor(advisor)
    client.force_login(advisor)
    page = client.get(f"/admin/residents/{resident.pk}/").content.decode()
    assert "Emails and texts sent" in page and "failed permanently" not in page
    response = post_receipt(client, recorded("callback_email_permanent_failure.json"))
    assert response.json() == {"changed": True}
    page = client.get(f"/admin/residents/{resident.pk}/").content.decode()
    assert "The last email to r•••@example.com failed permanently" in page
    assert case.reference in page
