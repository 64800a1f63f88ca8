"""Test settings: selected by pytest (pytest.ini). CI points DATABASE_URL at
PostgreSQL and REDIS_URL at the local Redis; tests use Redis databases 13-15 only."""

import os

os.environ.setdefault("REDIS_CACHE_DB", "13")
os.environ.setdefault("REDIS_BROKER_DB", "14")
os.environ.setdefault("REDIS_RESULT_DB", "15")
os.environ.setdefault("CACHE_KEY_PREFIX", "guildhall-test")

from .base import *  # noqa: E402, F403
from .base import env  # noqa: E402

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "test-media")  # noqa: F405
STORAGES["case_uploads"]["OPTIONS"]["location"] = str(  # noqa: F405
    BASE_DIR / "var" / "test-uploads"  # noqa: F405
)
WAGTAILADMIN_BASE_URL = "http://testserver"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# Serve static files straight from the apps (no collectstatic needed).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Ordinary tests run tasks inline; tests marked "celery" start a real worker.
CELERY_TASK_ALWAYS_EAGER = True
# Tests empty the shared cache between them, which a worker's own page copies would
# outlive; the tests of those copies turn them on.
PAGE_CACHE_LOCAL_SECONDS = 0
