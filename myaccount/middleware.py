"""Middleware of accounts: account pages are never cached, and staff use the
admin only with two-factor authentication.

allauth's views set no ``Cache-Control`` of their own; every response under the
accounts prefix that has none gets ``private, no-store`` here.
"""

from django.urls import reverse
from django.utils.cache import add_never_cache_headers

ACCOUNT_PREFIX = "/account/"


class AccountNeverCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(ACCOUNT_PREFIX) and not response.has_header(
            "Cache-Control"
        ):
            add_never_cache_headers(response)
        return response


class StaffTwoFactorMiddleware:
    """Staff use the admin only with two-factor authentication turned on.

    Any signed-in member of staff (``myaccount.staff``) without an authenticator
    app who asks for an admin URL is sent to allauth's enrolment (which asks for
    the password again if the sign-in was not recent) and told why; after it,
    every admin URL works. Sign-out stays open. One indexed query per admin
    request, none elsewhere.
    """

    EXEMPT = ("login/", "logout/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._guards(request.path_info) and self._must_enrol(request):
            from django.contrib import messages
            from django.http import HttpResponseRedirect

            messages.warning(
                request,
                "Set up two-factor authentication to use the council's admin. "
                "Scan the code with an authenticator app, then enter the code "
                "it shows.",
            )
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _guards(path: str) -> bool:
        prefix = reverse("wagtailadmin_home")
        if not path.startswith(prefix):
            return False
        rest = path[len(prefix) :]
        return not any(rest == e for e in StaffTwoFactorMiddleware.EXEMPT)

    @staticmethod
    def _must_enrol(request) -> bool:
        from myaccount.staff import must_enrol

        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated and must_enrol(user))
