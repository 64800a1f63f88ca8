"""Signed webhooks to back-office systems, in the Standard Webhooks format.

Each POST carries three headers (https://www.standardwebhooks.com/):

* ``webhook-id``: the message id, the same on every retry and resend, so the
  receiver drops a repeat it has seen;
* ``webhook-timestamp``: seconds since the epoch when this attempt was signed;
* ``webhook-signature``: ``v1,<base64 HMAC-SHA256 of "id.timestamp.body">``,
  keyed with the base64 bytes after ``whsec_``. While a rotated secret is still
  in its grace period a second ``v1,`` signature made with it follows, space
  separated, so a receiver holding either secret accepts the message.

``send`` only makes the HTTP call; ``services.outbox`` decides when (claims,
backoff, dead letters) and records the answer.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

from django.conf import settings

import requests

USER_AGENT = "Guildhall-Webhooks/1"


class WebhookError(Exception):
    """The receiver did not accept the message; ``status`` is its HTTP answer
    (None when it could not be reached)."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.status = status


def encode_body(payload: dict) -> bytes:
    """The exact bytes sent and signed (stable, so every attempt sends the same)."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def sign(*, secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers_for(
    *, secrets: list[str], msg_id: str, body: bytes, timestamp: int | None = None
) -> dict:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            sign(secret=s, msg_id=msg_id, timestamp=timestamp, body=body)
            for s in secrets
        ),
    }


def send(*, url: str, secrets: list[str], msg_id: str, payload: dict) -> int:
    """POST one signed message; return the receiver's 2xx status or raise."""
    body = encode_body(payload)
    try:
        response = requests.post(
            url,
            data=body,
            headers=headers_for(secrets=secrets, msg_id=msg_id, body=body),
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        raise WebhookError(f"Unreachable: {exc.__class__.__name__}") from exc
    if not 200 <= response.status_code < 300:
        raise WebhookError(
            f"Answered HTTP {response.status_code}", status=response.status_code
        )
    return response.status_code
