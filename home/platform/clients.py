"""Who is asking: the client's address, as rate limits (ours and allauth's) see it.

Without a proxy the address is the connection's (``REMOTE_ADDR``). Behind reverse
proxies (``TRUST_X_FORWARDED_FOR``) the connection comes from the last proxy, and
each proxy appends the address it was connected from to ``X-Forwarded-For``. The
client can send that header too, with anything in it, and proxies append to what it
sent, so only the entries the council's own proxies wrote can be believed: the
address ``TRUSTED_PROXY_COUNT`` entries from the right (1 for a single nginx or load
balancer; 2 for a CDN in front of it). Everything left of it is the client's to
invent and is never used.

A header with fewer entries than there are trusted proxies did not come through
them all, and an entry that is not an IP address is not one a proxy wrote: in both
cases the connection's own address is used.
"""

import ipaddress

from django.conf import settings


def _ip(value: str) -> str:
    """``value`` as a canonical IP address, or ``""``."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return ""


def client_address(request) -> str:
    """The address of the client that made ``request`` (``""`` if unknown)."""
    connection = _ip(request.META.get("REMOTE_ADDR", ""))
    if not settings.TRUST_X_FORWARDED_FOR:
        return connection
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    entries = [entry for entry in forwarded.split(",") if entry.strip()]
    if hops < 1 or len(entries) < hops:
        return connection
    return _ip(entries[-hops]) or connection
