"""Production settings with no middleware at all: the benchmark's "bare" baseline.

Served by ``tests/benchmarks/run.py`` as ``DJANGO_SETTINGS_MODULE=
tests.benchmarks.bare_settings``. Comparing its ``/healthz/`` with the real
``/healthz/`` gives the cost of the middleware stack on every request.
"""

from cms.settings.production import *  # noqa: F403

MIDDLEWARE: list[str] = []
ROOT_URLCONF = "tests.benchmarks.bare_urls"
