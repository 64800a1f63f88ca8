"""Notifications adapter: Django email by default, GOV.UK Notify when configured.

``get_notify_client()`` picks the provider: ``NOTIFY_API_KEY`` set means GOV.UK
Notify (its official Python client); otherwise Django's email backend. Both take a
``reference`` (the outbox key) so a provider-side duplicate can be traced.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage


class NotificationError(Exception):
    """The message could not be handed to the provider; the caller may retry."""


@dataclass(frozen=True)
class Notification:
    to: str
    subject: str
    body: str
    reference: str


class BaseNotifyClient:
    name = "base"

    def send_email(self, notification: Notification) -> str:
        """Send one email; return the provider's id for it."""
        raise NotImplementedError


class DjangoEmailClient(BaseNotifyClient):
    name = "email"

    def send_email(self, notification: Notification) -> str:
        message = EmailMessage(
            subject=notification.subject,
            body=notification.body,
            to=[notification.to],
            headers={"X-Reference": notification.reference},
        )
        try:
            message.send()
        except Exception as exc:  # SMTP and backend errors vary by backend
            raise NotificationError(str(exc)) from exc
        return notification.reference


class GovUKNotifyClient(BaseNotifyClient):
    """GOV.UK Notify through ``notifications-python-client``.

    One generic template with ``subject`` and ``body`` personalisation fields
    (``NOTIFY_EMAIL_TEMPLATE_ID``), so wording stays in our templates.
    """

    name = "govuk_notify"

    def __init__(self, *, api_key: str, template_id: str, base_url: str, timeout):
        from notifications_python_client.notifications import NotificationsAPIClient

        self.template_id = template_id
        self.client = NotificationsAPIClient(
            api_key, base_url=base_url, timeout=timeout
        )

    def send_email(self, notification: Notification) -> str:
        from notifications_python_client.errors import APIError

        try:
            response = self.client.send_email_notification(
                email_address=notification.to,
                template_id=self.template_id,
                personalisation={
                    "subject": notification.subject,
                    "body": notification.body,
                },
                reference=notification.reference,
            )
        except APIError as exc:
            raise NotificationError(f"GOV.UK Notify: {exc}") from exc
        except Exception as exc:  # connection errors from requests
            raise NotificationError(f"GOV.UK Notify unreachable: {exc}") from exc
        return response["id"]


def get_notify_client() -> BaseNotifyClient:
    if settings.NOTIFY_API_KEY:
        return GovUKNotifyClient(
            api_key=settings.NOTIFY_API_KEY,
            template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
            base_url=settings.NOTIFY_BASE_URL,
            timeout=settings.NOTIFY_TIMEOUT_SECONDS,
        )
    return DjangoEmailClient()
