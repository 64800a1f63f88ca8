"""Production: every secret and host list must come from the environment.

``SECRET_KEY`` and ``ALLOWED_HOSTS`` have no defaults, so start-up fails loudly
without them. ``manage.py check --deploy --fail-level WARNING`` passes with nothing
silenced.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^readyz/$"]
if env.bool("USE_X_FORWARDED_PROTO", default=True):
    # Behind the council's reverse proxy / CDN, which terminates TLS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# Cookies only over https. SECURE_COOKIES=False is for a stack served over plain
# http on one machine (``make serve``, the load test): HTTP clients other than
# browsers (which make an exception for localhost) never send a Secure cookie
# over http, so no form would pass its CSRF check. check --deploy warns.
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Links in account emails (verification, password reset) use https.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="https")
