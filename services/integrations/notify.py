"""Notifications adapter: GOV.UK Notify (email and SMS), or a local provider.

``get_notify_client()`` picks the provider named by ``NOTIFY_PROVIDER``:

- ``govuk_notify``: GOV.UK Notify's API through its official Python client
  (``notifications-python-client``: it signs each request with the HS256 JWT
  Notify's documentation describes, from the API key's service id and secret).
  Emails and texts use one generic template per channel
  (``NOTIFY_EMAIL_TEMPLATE_ID`` with ``subject`` and ``body`` fields,
  ``NOTIFY_SMS_TEMPLATE_ID`` with ``body``), so wording stays in our templates,
  unless the message names its own (``Notification.template_id``: a service's
  template for that kind of message, ``ServiceDefinition.notify_template``).
  Notify later posts a delivery receipt for each message
  (``services.notify_receipts``).
- ``local``: emails through Django's email backend (the console on a fresh
  machine), texts written to the log and kept in ``LOCAL_TEXTS`` for the demo and
  tests. A deployment refuses it unless ``ALLOW_DEMO_PROVIDERS`` names ``notify``
  (``services.checks``).

Every send takes a ``reference`` (the outbox key) so a provider-side duplicate
can be traced, and returns a ``Sent`` with the provider's id for the message.
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage

logger = logging.getLogger(__name__)

EMAIL = "email"
SMS = "sms"

# Kinds of message about a case, each with its own template per service.
CONFIRMATION = "confirmation"
UPDATE = "update"
CLOSED = "closed"


class NotificationError(Exception):
    """The message could not be handed to the provider; the caller may retry."""


class PermanentNotificationError(NotificationError):
    """The provider refused the message itself (a bad number, a bad template):
    sending it again would be refused again."""


@dataclass(frozen=True)
class Notification:
    to: str
    subject: str
    body: str
    reference: str
    channel: str = EMAIL
    # The account the message is for, when there is one (staff see its messages).
    user_id: int | None = None
    # Bulletins: where one click unsubscribes (an email's List-Unsubscribe).
    unsubscribe_url: str = ""
    # The provider's template for this message; "" for the platform's.
    template_id: str = ""
    # More fields for a template that words the message itself (reference,
    # service, status of a case), sent with subject and body.
    fields: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Sent:
    """What the provider said when it took the message."""

    provider_id: str
    # "sending" until a delivery receipt arrives; the local provider knows at once.
    status: str = "sending"


# Texts the local provider "sent", newest last (the demo shows them; tests read them).
LOCAL_TEXTS: deque = deque(maxlen=500)


class BaseNotifyClient:
    name = "base"

    def send(self, notification: Notification) -> Sent:
        if notification.channel == SMS:
            return self.send_sms(notification)
        return self.send_email(notification)

    def send_email(self, notification: Notification) -> Sent:
        raise NotImplementedError

    def send_sms(self, notification: Notification) -> Sent:
        raise NotImplementedError


class LocalNotifyClient(BaseNotifyClient):
    """For a fresh machine, the demo and tests: nothing leaves the machine."""

    name = "local"

    def send_email(self, notification: Notification) -> Sent:
        message = EmailMessage(
            subject=notification.subject,
            body=notification.body,
            to=[notification.to],
            headers={"X-Reference": notification.reference}
            | (
                {
                    "List-Unsubscribe": f"<{notification.unsubscribe_url}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                }
                if notification.unsubscribe_url
                else {}
            ),
        )
        try:
            message.send()
        except Exception as exc:  # SMTP and backend errors vary by backend
            raise NotificationError(str(exc)) from exc
        return Sent(provider_id=notification.reference, status="delivered")

    def send_sms(self, notification: Notification) -> Sent:
        provider_id = notification.reference
        LOCAL_TEXTS.append(
            {
                "id": provider_id,
                "to": notification.to,
                "body": notification.body,
                "reference": notification.reference,
            }
        )
        logger.info("Text to %s: %s", notification.to, notification.body)
        return Sent(provider_id=provider_id, status="delivered")


# The name earlier settings and tests used for the local email provider.
DjangoEmailClient = LocalNotifyClient


class GovUKNotifyClient(BaseNotifyClient):
    """GOV.UK Notify through ``notifications-python-client``."""

    name = "govuk_notify"

    def __init__(
        self,
        *,
        api_key: str,
        template_id: str,
        base_url: str,
        timeout,
        sms_template_id: str = "",
        sms_sender_id: str = "",
    ):
        from notifications_python_client.notifications import NotificationsAPIClient

        self.template_id = template_id
        self.sms_template_id = sms_template_id
        self.sms_sender_id = sms_sender_id
        self.client = NotificationsAPIClient(
            api_key, base_url=base_url, timeout=timeout
        )

    def _call(self, send, **kwargs) -> Sent:
        from notifications_python_client.errors import APIError

        try:
            response = send(**kwargs)
        except APIError as exc:
            status = getattr(exc, "status_code", None) or 0
            # 400 and 403 are about the message or the key: retrying cannot help.
            kind = (
                PermanentNotificationError
                if status in (400, 403)
                else NotificationError
            )
            raise kind(f"GOV.UK Notify: {exc}") from exc
        except Exception as exc:  # connection errors from requests
            raise NotificationError(f"GOV.UK Notify unreachable: {exc}") from exc
        return Sent(provider_id=response["id"])

    def send_email(self, notification: Notification) -> Sent:
        return self._call(
            self.client.send_email_notification,
            email_address=notification.to,
            template_id=notification.template_id or self.template_id,
            personalisation={
                **dict(notification.fields),
                "subject": notification.subject,
                "body": notification.body,
            },
            reference=notification.reference,
            one_click_unsubscribe_url=notification.unsubscribe_url or None,
        )

    def send_sms(self, notification: Notification) -> Sent:
        template_id = notification.template_id or self.sms_template_id
        if not template_id:
            raise PermanentNotificationError("NOTIFY_SMS_TEMPLATE_ID is not set")
        return self._call(
            self.client.send_sms_notification,
            phone_number=notification.to,
            template_id=template_id,
            personalisation={**dict(notification.fields), "body": notification.body},
            reference=notification.reference,
            sms_sender_id=self.sms_sender_id or None,
        )


def provider_name() -> str:
    return settings.NOTIFY_PROVIDER


def get_notify_client() -> BaseNotifyClient:
    if provider_name() == "govuk_notify":
        return GovUKNotifyClient(
            api_key=settings.NOTIFY_API_KEY,
            template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
            sms_template_id=settings.NOTIFY_SMS_TEMPLATE_ID,
            sms_sender_id=settings.NOTIFY_SMS_SENDER_ID,
            base_url=settings.NOTIFY_BASE_URL,
            timeout=settings.NOTIFY_TIMEOUT_SECONDS,
        )
    return LocalNotifyClient()
