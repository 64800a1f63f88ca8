"""The one authentication backend: allauth's, answering only allauth's sign-in.

Django's ``authenticate()`` asks every backend in turn, so any view that calls it
(Django's and Wagtail's own login views, a future API's basic authentication) could
sign someone in with a password and skip allauth's rate limits, email verification
and two-factor stage. This backend checks a password only while
``AccountAdapter.authenticate`` is running, which allauth calls from its sign-in and
re-authentication forms after counting the attempt against its rate limits. Anywhere
else a password authenticates nobody. Permissions are ``ModelBackend``'s, inherited.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from allauth.account.auth_backends import AuthenticationBackend

_through_allauth: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "myaccount_through_allauth", default=False
)


@contextmanager
def allauth_authentication():
    """Mark the code inside as allauth's own (rate-limited) password check."""
    token = _through_allauth.set(True)
    try:
        yield
    finally:
        _through_allauth.reset(token)


class AccountBackend(AuthenticationBackend):
    def authenticate(self, request, **credentials):
        if not _through_allauth.get():
            return None
        return super().authenticate(request, **credentials)
