"""allauth's customisation points for the council (one adapter per allauth app)."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from home.platform.clients import client_address


class AccountAdapter(DefaultAccountAdapter):
    """Email-only accounts.

    Enumeration: with ``ACCOUNT_PREVENT_ENUMERATION`` allauth answers sign-up and
    password reset the same way whether or not the address has an account (an
    existing account gets an email instead). Rate limits are allauth's own
    (``ACCOUNT_RATE_LIMITS``).
    """

    def get_login_redirect_url(self, request):
        return super().get_login_redirect_url(request) or reverse("myaccount:home")

    def format_email_subject(self, subject):
        # No "[site name]" prefix: our emails say who they are from in the body.
        return subject.strip()

    def get_client_ip(self, request):
        """The client's address for allauth's rate limits and session list: the
        one our own rate limits use (behind a proxy, the address the trusted proxy
        added to ``X-Forwarded-For``, never the part the client wrote)."""
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Google, Microsoft and Facebook. A provider shows a button only when it has
    an app (from the environment or the admin), which is allauth's own rule."""

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.first_name = (user.first_name or "")[:100]
        user.last_name = (user.last_name or "")[:100]
        return user
