"""Admin pages for the systems Guildhall talks to: a webhook subscription's
signing secret (shown, rotated) and an API client's token (issued once, rotated,
revoked). The subscriptions and clients themselves are snippets
(``services.viewsets``); deliveries are in the outbox pages
(``services.outbox_admin``).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from services.models import ApiCallLog, ApiClient, WebhookSubscription


def _require(request, perm: str) -> None:
    user = request.user
    if not (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm(perm))
    ):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def webhook_secret(request, pk: int):
    _require(request, "services.change_webhooksubscription")
    subscription = get_object_or_404(WebhookSubscription, pk=pk)
    if request.method == "POST":
        subscription.rotate_secret()
        subscription.save(
            update_fields=["secret", "previous_secret", "previous_secret_expires_at"]
        )
        messages.success(
            request,
            "New signing secret made. The old one also signs until "
            + timezone.localtime(subscription.previous_secret_expires_at).strftime(
                "%d/%m/%Y %H:%M"
            ),
        )
        return HttpResponseRedirect(
            reverse("services_integrations:webhook_secret", args=[pk])
        )
    return render(
        request,
        "services/admin/webhook_secret.html",
        {
            "subscription": subscription,
            "previous_valid": len(subscription.signing_secrets()) > 1,
        },
    )


@require_http_methods(["GET", "POST"])
def api_client_token(request, pk: int):
    _require(request, "services.change_apiclient")
    client = get_object_or_404(ApiClient, pk=pk)
    token = ""
    if request.method == "POST":
        action = request.POST.get("action")
        now = timezone.now()
        if action == "issue":
            token = client.issue_token()
            client.rotated_at = now
            client.revoked_at = None
            client.save(
                update_fields=["token_hash", "token_hint", "rotated_at", "revoked_at"]
            )
        elif action == "revoke" and client.revoked_at is None:
            client.revoked_at = now
            client.save(update_fields=["revoked_at"])
            messages.success(request, f"{client.name} can no longer use the API")
            return HttpResponseRedirect(
                reverse("services_integrations:api_client_token", args=[pk])
            )
    calls = ApiCallLog.objects.filter(client=client).order_by("-created_at")[:20]
    response = render(
        request,
        "services/admin/api_client_token.html",
        {"client": client, "token": token, "calls": calls},
    )
    if token:
        response["Cache-Control"] = "no-store"
    return response
