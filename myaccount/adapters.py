"""allauth's customisation points for the council (one adapter per allauth app)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp

from frontend.redirects import is_safe_redirect
from home.platform.clients import client_address
from myaccount.backends import allauth_authentication
from myaccount.staff import SECOND_FACTORS, is_staff_member


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

    def authenticate(self, request, **credentials):
        """allauth's password check (sign-in, re-authentication), after its rate
        limits: the only place ``myaccount.backends.AccountBackend`` accepts a
        password."""
        with allauth_authentication():
            return super().authenticate(request, **credentials)

    def is_safe_url(self, url):
        """``next`` after sign-in, sign-out or re-authentication: a path on this
        host only (``frontend.redirects``, the rule every ``next`` follows)."""
        from allauth.core import context

        return is_safe_redirect(context.request, url)

    def get_client_ip(self, request):
        """The client's address for allauth's rate limits and session list: the
        one our own rate limits use (behind a proxy, the address the trusted proxy
        added to ``X-Forwarded-For``, never the part the client wrote)."""
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address


class MFAAdapter(DefaultMFAAdapter):
    """Staff keep their second factor: they may replace it (add the new one
    first), never be left without one."""

    def can_delete_authenticator(self, authenticator) -> bool:
        user = authenticator.user
        if authenticator.type not in SECOND_FACTORS or not is_staff_member(user):
            return True
        others = Authenticator.objects.filter(
            user=user, type__in=SECOND_FACTORS
        ).exclude(pk=authenticator.pk)
        return others.exists()


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Google, Microsoft and Facebook. A provider shows a button only when it has
    an app (from the environment or the admin), which is allauth's own rule."""

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.first_name = (user.first_name or "")[:100]
        user.last_name = (user.last_name or "")[:100]
        return user

    def get_provider(self, request, provider, client_id=None):
        # A provider's URLs exist whether or not it has an app: without one its
        # sign-in page does not exist either (allauth would raise a server error).
        try:
            return super().get_provider(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            raise Http404("No such sign-in provider") from None
