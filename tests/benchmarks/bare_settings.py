"""Production settings with no project middleware: the benchmark's "bare" baseline.

Served by ``tests/benchmarks/run.py`` as ``DJANGO_SETTINGS_MODULE=
tests.benchmarks.bare_settings``. Comparing its ``/healthz/`` with the real
``/healthz/`` gives the cost of the middleware stack on every request. allauth refuses
to start without its own middleware, so that one stays (it does almost nothing for a
request that is not an account page): the figure is the cost of everything else.
"""

from cms.settings.production import *  # noqa: F403

MIDDLEWARE: list[str] = ["allauth.account.middleware.AccountMiddleware"]
ROOT_URLCONF = "tests.benchmarks.bare_urls"
