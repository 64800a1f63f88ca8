"""Content-Security-Policy with one exception: the Wagtail admin.

Public pages get the strict policy in settings (nonces, ``frame-ancestors 'none'``).
The admin frames its own previews and uses inline style attributes, so under
``/admin/`` the policy allows same-origin framing and inline styles (a nonce in
``style-src`` would make browsers ignore ``'unsafe-inline'``).
"""

from csp.middleware import CSPMiddleware, PolicyParts

ADMIN_PREFIX = "/admin/"
ADMIN_POLICY_REPLACE = {
    "frame-ancestors": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-src": ["'self'"],
}


class CouncilCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith(ADMIN_PREFIX):
            parts.replace = {**(parts.replace or {}), **ADMIN_POLICY_REPLACE}
        return parts
