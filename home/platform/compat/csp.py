"""django-csp's internals, for the middleware that builds each policy once
(``home.platform.middleware.CouncilCSPMiddleware``).

Checked against django-csp 4.0. Public and relied on: ``CSPMiddleware`` and its
``get_policy_parts`` hook returning ``PolicyParts``, ``csp.utils.build_policy`` and
the header names. Private and relied on:

- the attributes django-csp's view decorators (``@csp_update``, ``@csp_replace``,
  ``@csp``, ``@csp_exempt`` and their report-only forms) set on the *response*
  (``_csp_update`` and so on): a response carrying one takes django-csp's own full
  path, because its policy is not one of the prebuilt ones;
- ``request._csp_nonce``: the nonce, set once ``request.csp_nonce`` was used;
- after the header is written, ``request.csp_nonce`` becomes a
  ``CheckableLazyObject`` around ``CSPMiddleware._csp_nonce_post_response``, which
  raises if a template asks for a nonce too late (the nonce would not be in the
  header).

On upgrade: if the decorators' attribute names change, decorated views get the
prebuilt policy instead of their own (their extra sources are blocked, or their
exemption ignored); if the nonce attribute changes, pages lose their nonce and the
GOV.UK Frontend inline script is blocked. ``tests/home/test_compat.py`` fails first.
"""

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy

__all__ = [
    "HEADER",
    "HEADER_REPORT_ONLY",
    "CSPMiddleware",
    "PolicyParts",
    "build_policy",
    "has_own_policy",
    "refuse_late_nonce",
    "request_nonce",
]

# What django-csp's decorators set on a response.
DECORATOR_ATTRIBUTES = frozenset(
    (
        "_csp_config",
        "_csp_update",
        "_csp_replace",
        "_csp_config_ro",
        "_csp_update_ro",
        "_csp_replace_ro",
        "_csp_exempt",
        "_csp_exempt_ro",
    )
)


def has_own_policy(response) -> bool:
    """Whether a view decorator gave ``response`` a policy of its own (one set
    lookup: this runs on every response)."""
    return not DECORATOR_ATTRIBUTES.isdisjoint(response.__dict__)


def request_nonce(request) -> str | None:
    """The request's nonce, if anything used it while rendering."""
    return getattr(request, "_csp_nonce", None)


def refuse_late_nonce(middleware: CSPMiddleware, request) -> None:
    """After the header is written, asking for a nonce is an error (as django-csp
    itself does): a nonce made now would not be in the header."""
    request.csp_nonce = CheckableLazyObject(middleware._csp_nonce_post_response)
