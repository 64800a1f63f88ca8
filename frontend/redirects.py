"""Where a request may send the browser next.

Every ``next`` (or other "go back to") URL that arrives in a request passes through
``safe_next_url`` before the project redirects to it or prints it into a form.
Only a path on the host the request came to is kept: ``//evil.example``,
``https://evil.example``, ``/\\evil.example``, ``javascript:`` and the like fall back
to the default. It lives in ``frontend``, the lowest app, so every app can use it.
"""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme

NEXT_FIELD = "next"


def is_safe_redirect(request, url: str | None) -> bool:
    """True when ``url`` stays on this request's host (and on https when the
    request came over https). Control characters and backslashes are refused
    outright: browsers read ``/\\host`` as ``//host``."""
    if not url or not isinstance(url, str):
        return False
    if any(ord(c) < 32 or ord(c) == 127 for c in url) or "\\" in url:
        return False
    return url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next_url(request, url: str | None, default: str = "/") -> str:
    """``url`` if it is safe to redirect to, else ``default``."""
    return url if is_safe_redirect(request, url) else default


def next_from(request, default: str = "/", field: str = NEXT_FIELD) -> str:
    """The ``next`` URL of a POST (or, failing that, the query string), checked."""
    url = request.POST.get(field) or request.GET.get(field)
    return safe_next_url(request, url, default)
