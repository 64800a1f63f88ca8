"""Card payments: GOV.UK Pay, or a local sandbox with GOV.UK Pay's test cards.

``get_pay_client()`` chooses by ``PAYMENT_PROVIDER``: ``govuk_pay`` talks to the
GOV.UK Pay public API (``GOVUK_PAY_API_URL``, bearer ``GOVUK_PAY_API_KEY``, timeout
``GOVUK_PAY_TIMEOUT_SECONDS``); ``sandbox`` keeps payments in the database and
shows its own card page (``services.payments.sandbox``), so journeys work on a
laptop and in tests. Both answer with the same ``ProviderPayment``.

GOV.UK Pay, as used here:
* ``POST /v1/payments`` with ``amount`` (pence), ``reference``, ``description``,
  ``return_url`` and an ``Idempotency-Key`` header → 201 with ``payment_id``,
  ``state`` (``status``, ``finished``, ``code``/``message`` when it failed) and
  ``_links.next_url.href``, where the resident is sent to pay.
* ``GET /v1/payments/{payment_id}`` → the same shape, with ``card_details`` once
  paid and ``refund_summary``.
* ``GET /v1/payments?from_date=...&to_date=...&page=1&display_size=...`` (search:
  created on or after ``from_date``, before ``to_date``, both UTC to the second)
  → ``total``, ``count``, ``page``, ``results`` (payments in the same shape) and
  ``_links.next_page.href`` (absent or null on the last page), which is followed
  as given, on the API's own host only.
* ``POST /v1/payments/{payment_id}/refunds`` with ``amount`` and
  ``refund_amount_available`` (what we think is left, so two refunds at once
  cannot both succeed) → 202 with ``refund_id`` and ``status``.
* Webhooks: a JSON message with ``webhook_message_id``, ``event_type``,
  ``resource_id`` and the payment as ``resource``, signed in the ``Pay-Signature``
  header with a hex HMAC-SHA256 of the raw body under the webhook's signing secret.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

import requests


class PaymentProviderError(Exception):
    """Base for every provider failure."""


class PaymentProviderUnavailable(PaymentProviderError):
    """The provider did not answer in time or answered with a server error."""


class PaymentRejected(PaymentProviderError):
    """The provider refused the request (4xx): a bug or a configuration error."""


class RefundRefused(PaymentProviderError):
    """The provider refused the refund (e.g. more than is left to refund)."""


@dataclass(frozen=True)
class ProviderPayment:
    provider_id: str
    status: str  # GOV.UK Pay's state.status
    finished: bool
    amount: int
    next_url: str = ""
    failure_code: str = ""
    failure_message: str = ""
    card_brand: str = ""
    last_digits: str = ""
    reference: str = ""
    created: datetime.datetime | None = None


@dataclass(frozen=True)
class ProviderSearch:
    """The provider's payments created in a period, and how many requests it took.
    ``complete`` is false when the search stopped at ``SEARCH_MAX_PAGES``."""

    payments: list[ProviderPayment]
    calls: int
    complete: bool = True


# GOV.UK Pay's largest page, and how many pages one search follows at most.
SEARCH_DISPLAY_SIZE = 500
SEARCH_MAX_PAGES = 40


@dataclass(frozen=True)
class ProviderRefund:
    provider_id: str
    status: str  # submitted, success, error
    amount: int


class BasePayClient:
    name = "base"

    def create_payment(
        self,
        *,
        amount: int,
        reference: str,
        description: str,
        return_url: str,
        idempotency_key: str,
        email: str = "",
    ) -> ProviderPayment:
        raise NotImplementedError

    def get_payment(self, provider_id: str) -> ProviderPayment:
        raise NotImplementedError

    def refund(
        self, provider_id: str, *, amount: int, amount_available: int
    ) -> ProviderRefund:
        raise NotImplementedError

    def search_payments(
        self,
        *,
        start: datetime.datetime,
        end: datetime.datetime,
        display_size: int | None = None,
    ) -> ProviderSearch:
        """Every payment created from ``start`` until (not including) ``end``."""
        raise NotImplementedError


def parse_payment(data: dict) -> ProviderPayment:
    """A GOV.UK Pay payment resource as a ``ProviderPayment``."""
    try:
        state = data["state"]
        card = data.get("card_details") or {}
        return ProviderPayment(
            provider_id=str(data["payment_id"]),
            status=str(state["status"]),
            finished=bool(state.get("finished")),
            amount=int(data["amount"]),
            next_url=((data.get("_links") or {}).get("next_url") or {}).get("href")
            or "",
            failure_code=str(state.get("code", "")),
            failure_message=str(state.get("message", ""))[:255],
            card_brand=str(card.get("card_brand") or "")[:40],
            last_digits=str(card.get("last_digits_card_number") or "")[:4],
            reference=str(data.get("reference") or ""),
            created=parse_created(data.get("created_date")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise PaymentProviderError("Unexpected payment data") from exc


def parse_created(value) -> datetime.datetime | None:
    if not value:
        return None
    return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def utc_second(moment: datetime.datetime) -> str:
    """A time as GOV.UK Pay's search takes it: UTC, ISO 8601, to the second."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class GovUkPayClient(BasePayClient):
    name = "govuk_pay"

    def __init__(self, *, base_url: str, api_key: str, timeout: float, session=None):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()
        self.session.headers["Authorization"] = f"Bearer {api_key}"
        self.session.headers["Accept"] = "application/json"

    def _call(
        self, method: str, path: str, *, json=None, headers=None, params=None
    ) -> dict:
        try:
            response = self.session.request(
                method,
                path if path.startswith(self.base_url + "/") else self.base_url + path,
                json=json,
                headers=headers,
                params=params,
                timeout=self.timeout,
            )
        except (requests.Timeout, requests.ConnectionError) as exc:
            raise PaymentProviderUnavailable(str(exc)) from exc
        if response.status_code >= 500:
            raise PaymentProviderUnavailable(f"{response.status_code} from {path}")
        if response.status_code == 412 and "/refunds" in path:
            raise RefundRefused(f"412 from {path}: refund amount not available")
        if response.status_code >= 400:
            code = ""
            try:
                code = response.json().get("code", "")
            except ValueError:
                pass
            if "/refunds" in path:
                raise RefundRefused(f"{response.status_code} {code} from {path}")
            raise PaymentRejected(f"{response.status_code} {code} from {path}")
        try:
            return response.json()
        except ValueError as exc:
            raise PaymentProviderError(f"Invalid JSON from {path}") from exc

    def create_payment(
        self,
        *,
        amount,
        reference,
        description,
        return_url,
        idempotency_key,
        email="",
    ):
        body = {
            "amount": int(amount),
            "reference": reference[:255],
            "description": description[:255],
            "return_url": return_url,
            "language": "en",
        }
        if email:
            body["email"] = email
        data = self._call(
            "POST",
            "/v1/payments",
            json=body,
            headers={"Idempotency-Key": str(idempotency_key)},
        )
        return parse_payment(data)

    def get_payment(self, provider_id):
        if not provider_id.isalnum():
            raise PaymentRejected("Not a payment id")
        return parse_payment(self._call("GET", f"/v1/payments/{provider_id}"))

    def refund(self, provider_id, *, amount, amount_available):
        if not provider_id.isalnum():
            raise PaymentRejected("Not a payment id")
        data = self._call(
            "POST",
            f"/v1/payments/{provider_id}/refunds",
            json={"amount": int(amount), "refund_amount_available": amount_available},
        )
        try:
            return ProviderRefund(
                provider_id=str(data["refund_id"]),
                status=str(data["status"]),
                amount=int(data["amount"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise PaymentProviderError("Unexpected refund data") from exc

    def search_payments(self, *, start, end, display_size=None):
        """One request per page of ``display_size`` payments: the first with the
        dates, then each page's ``_links.next_page`` as the API gives it."""
        found, calls = [], 0
        path, params = (
            "/v1/payments",
            {
                "from_date": utc_second(start),
                "to_date": utc_second(end),
                "page": "1",
                "display_size": str(display_size or SEARCH_DISPLAY_SIZE),
            },
        )
        while calls < SEARCH_MAX_PAGES:
            data = self._call("GET", path, params=params)
            calls += 1
            try:
                found.extend(parse_payment(item) for item in data["results"])
                following = ((data.get("_links") or {}).get("next_page") or {}).get(
                    "href"
                )
            except (KeyError, TypeError, AttributeError) as exc:
                raise PaymentProviderError("Unexpected search results") from exc
            if not following:
                return ProviderSearch(payments=found, calls=calls)
            if not following.startswith(self.base_url + "/"):
                # The bearer token goes only to the API it is for.
                raise PaymentProviderError("Search paging left the API's host")
            path, params = following, None
        return ProviderSearch(payments=found, calls=calls, complete=False)


def verify_webhook(body: bytes, signature: str, secret: str) -> bool:
    """True when ``signature`` (the ``Pay-Signature`` header) is the hex
    HMAC-SHA256 of the raw ``body`` under ``secret``."""
    if not secret or not signature:
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.strip())


# -- the local sandbox ---------------------------------------------------------------

# GOV.UK Pay's documented test card numbers and what each does.
TEST_CARDS = {
    "4444333322221111": "success",  # Visa
    "5500000000000004": "success",  # Mastercard
    "4000000000000002": "declined",
    "4000000000003220": "3ds",  # 3-D Secure authentication needed
    "4000000000000119": "error",
}


SANDBOX_EXPIRY_MINUTES = 90


class SandboxPayClient(BasePayClient):
    """Payments held in our own database (``Payment`` rows with provider
    ``sandbox``); ``services.payments.sandbox`` is the card page."""

    name = "sandbox"

    def create_payment(
        self, *, amount, reference, description, return_url, idempotency_key, email=""
    ):
        from django.urls import reverse

        provider_id = "sbx" + uuid.uuid5(uuid.NAMESPACE_URL, str(idempotency_key)).hex
        return ProviderPayment(
            provider_id=provider_id,
            status="created",
            finished=False,
            amount=int(amount),
            # On this site: a path, so the card page opens on whichever host
            # and port the resident is using (make run, make serve, a test server).
            next_url=reverse("payments:sandbox_card", args=[provider_id]),
        )

    def get_payment(self, provider_id):
        from services.models import Payment

        payment = Payment.objects.filter(
            provider=self.name, provider_id=provider_id
        ).first()
        if payment is None:
            raise PaymentRejected("No such sandbox payment")
        return self._as_provider(payment)

    def search_payments(self, *, start, end, display_size=None):
        """The sandbox's payments created in the period, from one query; its
        "calls" are the pages GOV.UK Pay would have taken."""
        from services.models import Payment

        found = [
            self._as_provider(payment)
            for payment in Payment.objects.filter(
                provider=self.name, created_at__gte=start, created_at__lt=end
            )
            .exclude(provider_id="")
            .only(
                "provider_id",
                "amount",
                "reference",
                "sandbox_state",
                "created_at",
            )
            .order_by("-created_at")
        ]
        size = display_size or SEARCH_DISPLAY_SIZE
        return ProviderSearch(payments=found, calls=max(1, -(-len(found) // size)))

    def _as_provider(self, payment) -> ProviderPayment:
        provider_id = payment.provider_id
        state = payment.sandbox_state or {"status": "created"}
        expired = payment.created_at < timezone.now() - datetime.timedelta(
            minutes=SANDBOX_EXPIRY_MINUTES
        )
        if state["status"] in ("created", "started") and expired:
            # Like GOV.UK Pay: a payment nobody finished expires after 90 minutes.
            state = {"status": "failed", "code": "P0020", "message": "Payment expired"}
        status = "started" if state["status"] == "3ds" else state["status"]
        return ProviderPayment(
            provider_id=provider_id,
            status=status,
            finished=status in ("success", "failed", "cancelled", "error"),
            amount=payment.amount,
            failure_code=state.get("code", ""),
            failure_message=state.get("message", ""),
            card_brand=state.get("card_brand", ""),
            last_digits=state.get("last_digits", ""),
            reference=payment.reference,
            created=payment.created_at,
        )

    def refund(self, provider_id, *, amount, amount_available):
        from services.models import Payment

        payment = Payment.objects.get(provider=self.name, provider_id=provider_id)
        if amount > amount_available or amount_available != payment.refundable:
            raise RefundRefused("Refund amount not available")
        return ProviderRefund(
            provider_id="sbxr" + uuid.uuid4().hex[:20], status="success", amount=amount
        )


def get_pay_client(provider: str | None = None) -> BasePayClient:
    provider = provider or settings.PAYMENT_PROVIDER
    if provider == "govuk_pay":
        return GovUkPayClient(
            base_url=settings.GOVUK_PAY_API_URL,
            api_key=settings.GOVUK_PAY_API_KEY,
            timeout=settings.GOVUK_PAY_TIMEOUT_SECONDS,
        )
    return SandboxPayClient()
