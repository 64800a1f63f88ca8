"""GOV.UK Notify's delivery receipts (``POST /api/notify/receipts/``).

Notify is given this address and a bearer token (``NOTIFY_CALLBACK_TOKEN``) in its
callback settings; each receipt names one message by Notify's id and gives its
final status. A request without that exact token is refused with 401, whatever
other token it carries (a case API client's token is no use here, and this token
is no use on the case API). The body is checked as strictly as the case API's: the
fields Notify documents, nothing else. The work is ``services.notify_receipts``.
"""

from __future__ import annotations

import hmac

from django.conf import settings

from drf_spectacular.utils import extend_schema
from rest_framework import authentication, exceptions, permissions, serializers
from rest_framework.response import Response

from services import notify_receipts
from services.api.serializers import StrictSerializer
from services.api.views import ApiView
from services.models import MessageStatus


class NotifyPrincipal:
    is_authenticated = True
    is_anonymous = False
    pk = None


class NotifyTokenAuthentication(authentication.BaseAuthentication):
    """The one bearer token given to Notify, compared in constant time. With no
    token configured every receipt is refused."""

    keyword = "Bearer"

    def authenticate(self, request):
        expected = settings.NOTIFY_CALLBACK_TOKEN
        header = authentication.get_authorization_header(request).split()
        if (
            not expected
            or len(header) != 2
            or header[0].lower() != b"bearer"
            or not hmac.compare_digest(header[1], expected.encode())
        ):
            raise exceptions.AuthenticationFailed("The token is not valid.")
        return NotifyPrincipal(), None

    def authenticate_header(self, request):
        return self.keyword


class IsNotify(permissions.BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.user, NotifyPrincipal)


class ReceiptSerializer(StrictSerializer):
    id = serializers.UUIDField()
    reference = serializers.CharField(
        max_length=160, required=False, allow_null=True, allow_blank=True
    )
    to = serializers.CharField(max_length=320, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=MessageStatus.choices)
    created_at = serializers.DateTimeField(required=False, allow_null=True)
    completed_at = serializers.DateTimeField(required=False, allow_null=True)
    sent_at = serializers.DateTimeField(required=False, allow_null=True)
    notification_type = serializers.ChoiceField(
        choices=["email", "sms", "letter"], required=False
    )
    template_id = serializers.UUIDField(required=False, allow_null=True)
    template_version = serializers.IntegerField(
        required=False, allow_null=True, min_value=0
    )
    provider_response = serializers.CharField(
        max_length=500, required=False, allow_null=True, allow_blank=True
    )


@extend_schema(exclude=True)
class NotifyReceipt(ApiView):
    authentication_classes = [NotifyTokenAuthentication]
    permission_classes = [IsNotify]
    throttle_classes = []

    def post(self, request):
        receipt = ReceiptSerializer(data=request.data)
        receipt.is_valid(raise_exception=True)
        changed = notify_receipts.apply_receipt(
            provider_id=str(receipt.validated_data["id"]),
            status=receipt.validated_data["status"],
        )
        return Response({"changed": changed})
