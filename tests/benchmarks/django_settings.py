"""Production settings with only the middleware a Django site with sign-in needs.

Served by ``tests/benchmarks/run.py`` as ``DJANGO_SETTINGS_MODULE=
tests.benchmarks.django_settings`` beside the bare server: Django's own security,
session, common, CSRF, authentication, messages and clickjacking middleware (as
``django-admin startproject`` lists them) plus allauth's, with the bare server's
one URL. Its ``/healthz/`` tells the part of the middleware cost that comes with
Django itself from the part the project adds.
"""

from cms.settings.production import *  # noqa: F403

MIDDLEWARE: list[str] = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "tests.benchmarks.bare_urls"
