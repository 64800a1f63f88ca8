"""Wagtail's per-request site lookup, for the page cache (``remember_site``).

Checked against Wagtail 8.0.1 and Django 5.2. Relies on:

- ``Site._find_for_request(request)``: the lookup by host and port itself, with no
  caching (private). ``Site.find_for_request`` is the public one, but it stores its
  answer on the request, and the page cache wants the answer without that side
  effect so that it can keep one per worker.
- ``request._wagtail_site``: where ``Site.find_for_request`` keeps its answer and
  looks first (private). Setting it beforehand is how a site found once per worker
  reaches Wagtail's routing, ``{% wagtail_site %}`` and the settings context
  processor without a query.
- ``HttpRequest._get_raw_host()``: the Host header without the ``ALLOWED_HOSTS``
  check (Django private; Wagtail's lookup uses it too, and the check has already
  run in ``CommonMiddleware``).

On upgrade: if Wagtail renames the attribute, sites are looked up again on every
request (one or two more queries a page, nothing visibly wrong); if it renames
``_find_for_request``, every page fails. Either way ``tests/home/test_compat.py``
fails first.
"""

from wagtail.models import Site

_ATTRIBUTE = "_wagtail_site"


def look_up_site(request) -> Site | None:
    """The Site serving ``request``'s host and port, looked up now (a query)."""
    return Site._find_for_request(request)


def site_known(request) -> bool:
    """Whether Wagtail already knows ``request``'s Site (found or given)."""
    return hasattr(request, _ATTRIBUTE)


def give_site(request, site: Site | None) -> None:
    """Make ``site`` the answer to ``Site.find_for_request(request)``."""
    setattr(request, _ATTRIBUTE, site)


def raw_host(request) -> str:
    """The request's Host header as sent (with any port)."""
    return request._get_raw_host()
