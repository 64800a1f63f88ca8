"""Settings shared by every environment, read from the environment.

Infrastructure has embedded defaults (SQLite, local-memory cache, inline tasks, the
database search backend) so a fresh machine runs with no services; secrets have none
outside ``dev`` and ``test``. Every variable is listed in ``.env.example`` and the
README's configuration table.
"""

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from celery.schedules import crontab
from csp.constants import NONCE

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default=None)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Keep the global AutoField and set BigAutoField on our own AppConfigs: the global
# BigAutoField makes makemigrations want migrations inside wagtail-personalisation.
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

INSTALLED_APPS = [
    # Our apps, in dependency order (see each apps.py).
    "frontend",
    # Before our personalisation app, which removes some of its hooks.
    "wagtail_personalisation",
    "wagtailfontawesomesvg",  # icons for wagtail-personalisation's admin
    "wagtail_modeladmin",  # the segment builder's admin views and templates
    "personalisation",
    "home",
    "services",
    "myaccount",
    "search",
    # Wagtail.
    "wagtail.contrib.forms",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "sequences",  # gapless case references (services.actions)
    # The case API, Open311 and Wagtail's pages API (docs/api.md): Django REST
    # framework with drf-spectacular's OpenAPI schema. django-ninja stays installed
    # only because Wagtail requires it; nothing of ours uses it.
    "rest_framework",
    "drf_spectacular",
    "wagtail.api.v2",
    # Resident accounts (myaccount): django-allauth.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.microsoft",
    "allauth.socialaccount.providers.facebook",
    "allauth.mfa",
    "allauth.usersessions",
    # Django.
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # Stores public responses in the page cache: first, so it sees the final headers.
    "home.platform.cache.UpdatePageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Refuses NUL bytes (and control characters in paths) before anything reads them.
    "home.platform.input.RefuseBadInputMiddleware",
    "home.platform.middleware.CouncilCSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Django's session middleware, with the store built only when used.
    "home.platform.middleware.LazySessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "myaccount.middleware.AccountNeverCacheMiddleware",
    "home.platform.middleware.LazyMessageMiddleware",
    # Staff without two-factor authentication are sent to enrol before the admin.
    "myaccount.middleware.StaffTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Campaign cookie (with consent only) and the cookie banner's confirmation;
    # before the page cache's fetch, so it sees cache hits too.
    "personalisation.middleware.PersonalisationCookiesMiddleware",
    # Counts searches (cache counters, no database write), cache hits included.
    "search.middleware.SearchQueryLogMiddleware",
    # Serves cached pages: last, so a hit skips everything after it and its queries.
    "home.platform.cache.FetchPageCacheMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "frontend.context_processors.frontend",
                "home.context_processors.site_chrome",
            ],
        },
    },
]

# Database: PostgreSQL in production and CI, a SQLite file by default.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True


# Redis: one server, three logical databases (cache, broker, results).
REDIS_URL = env("REDIS_URL", default="")


def redis_db_url(db: int) -> str:
    """``REDIS_URL`` with its database number replaced by ``db``."""
    parts = urlsplit(REDIS_URL)
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, ""))


# The cache must never take a page down with it (home/platform/redis_cache.py):
# short timeouts, then Redis is skipped for CACHE_RETRY_SECONDS after a failure.
CACHE_CONNECT_TIMEOUT_SECONDS = env.float("CACHE_CONNECT_TIMEOUT_SECONDS", default=0.25)
CACHE_TIMEOUT_SECONDS = env.float("CACHE_TIMEOUT_SECONDS", default=0.5)
CACHE_RETRY_SECONDS = env.float("CACHE_RETRY_SECONDS", default=5.0)

if REDIS_URL:
    # The backend is named explicitly: env.cache_url would silently pick
    # django-redis whenever it happens to be importable.
    CACHES = {
        "default": {
            "BACKEND": "home.platform.redis_cache.CouncilRedisCache",
            "LOCATION": redis_db_url(env.int("REDIS_CACHE_DB", default=0)),
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="guildhall"),
            "TIMEOUT": 300,
            "OPTIONS": {
                "socket_connect_timeout": CACHE_CONNECT_TIMEOUT_SECONDS,
                "socket_timeout": CACHE_TIMEOUT_SECONDS,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "guildhall",
        }
    }
CACHES["renditions"] = CACHES["default"] | {"TIMEOUT": 60 * 60 * 24}

# Celery: Redis when configured, otherwise every task runs inline in the request.
CELERY_BROKER_URL = (
    redis_db_url(env.int("REDIS_BROKER_DB", default=1)) if REDIS_URL else ""
)
CELERY_RESULT_BACKEND = (
    redis_db_url(env.int("REDIS_RESULT_DB", default=2)) if REDIS_URL else None
)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# A request that enqueues a task waits at most about this long for a broker that is
# down (home/platform/queue.py then logs the error and the task's sweep catches up).
CELERY_BROKER_CONNECTION_TIMEOUT = env.float(
    "CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0
)
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
}
# The outbox (docs/cases.md, docs/runbook.md): attempts before a row becomes a dead
# letter, and how long a worker's claim on a row it is sending lasts.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=300)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/London"
# Run with `celery -A cms beat` (one beat process per deployment).
CELERY_BEAT_SCHEDULE = {
    "publish-scheduled-content": {
        "task": "home.tasks.publish_scheduled",
        "schedule": 60.0,
    },
    "flush-segment-visits": {
        "task": "personalisation.tasks.flush_segment_visits",
        "schedule": 300.0,
    },
    "flush-search-query-log": {
        "task": "search.tasks.flush_query_log",
        "schedule": 300.0,
    },
    "flag-overdue-cases": {
        "task": "services.tasks.flag_overdue_cases",
        "schedule": 15 * 60.0,
    },
    "mop-up-payments": {
        "task": "services.tasks.mop_up_payments",
        "schedule": 2 * 60.0,
    },
    "expire-booking-holds": {
        "task": "services.tasks.expire_booking_holds",
        "schedule": 5 * 60.0,
    },
    # Hourly: a reminder is sent once (Permit.reminded_at), so running often
    # only makes the first run after a deploy or an outage catch up sooner.
    "send-renewal-reminders": {
        "task": "services.tasks.send_renewal_reminders",
        "schedule": 60 * 60.0,
    },
    "deliver-pending-outbox": {
        "task": "services.tasks.deliver_pending_outbox",
        "schedule": 60.0,
    },
    "reconcile-search-index": {
        "task": "search.tasks.reconcile_index",
        "schedule": 5 * 60.0,
    },
    "erase-expired-cases": {
        "task": "services.tasks.erase_expired_cases",
        "schedule": 60 * 60.0,
    },
    "rollup-reports": {
        "task": "services.tasks.rollup_reports",
        "schedule": 60 * 60.0,
    },
    "email-weekly-reports": {
        "task": "services.tasks.email_weekly_reports",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
    },
    "sweep-abandoned-uploads": {
        "task": "services.tasks.sweep_abandoned_uploads",
        "schedule": 60 * 60.0,
    },
}

# The case API (services/api, docs/api.md). Authentication and permissions are set
# per view: nothing here opens an endpoint by default.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "services.api.problems.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Guildhall case API",
    "DESCRIPTION": (
        "Read and work the council's cases from a back-office system. "
        "Authenticate with a bearer token issued in the admin (API clients)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "DEFAULT_GENERATOR_CLASS": "services.api.schema.CaseApiSchemaGenerator",
}
# Paths answered with application/problem+json errors, not pages
# (home/platform/input.py).
MACHINE_API_PATHS = ["/api/", "/open311/"]
# Limits on each API client (services/api/auth.py).
API_RATE_LIMIT = env.int("API_RATE_LIMIT", default=120)
API_RATE_WINDOW_SECONDS = env.int("API_RATE_WINDOW_SECONDS", default=60)
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=16 * 1024)
# How long a case API read may be given again from the cache at most; any change
# to a case, service or API client ends it sooner (services.api.read_cache). 0: off.
API_READ_CACHE_SECONDS = env.int("API_READ_CACHE_SECONDS", default=60)
# Webhooks (services/integrations/webhooks.py): how long one delivery may take,
# and the waits between attempts before a delivery is a dead letter (about 27 h).
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
WEBHOOK_RETRY_SCHEDULE = env.list(
    "WEBHOOK_RETRY_SCHEDULE",
    cast=int,
    default=[5, 60, 300, 1800, 7200, 18000, 36000, 36000],
)
WEBHOOK_SECRET_GRACE_HOURS = env.int("WEBHOOK_SECRET_GRACE_HOURS", default=24)

# Wagtail's own background work (search index, reference index, cache purges) goes
# through django-tasks. It stays on the in-request backend on purpose: each job is
# small, must be done before the editor sees "published", and our own slow work
# (renditions, notifications, search documents) runs on Celery instead.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Messages travel in a cookie so a public page that shows none never reads the
# session (reading it would add "Vary: Cookie" and defeat the page cache).
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"
# Sessions live in Redis when it is configured (read from the cache, written through
# to the database so a Redis restart signs nobody out); the database otherwise.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

# Accounts, residents' and staff's alike: django-allauth (see docs/accounts.md and
# docs/security.md). One backend, allauth's, which checks a password only inside
# allauth's rate-limited sign-in (myaccount.backends); it also answers permissions.
AUTHENTICATION_BACKENDS = ["myaccount.backends.AccountBackend"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "myaccount:home"
ACCOUNT_ADAPTER = "myaccount.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "myaccount.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# A password reset never signs anyone in: they sign in afterwards, through the
# verification and two-factor stages.
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
# allauth's own limits (kept in the cache), stated here so they are visible.
ACCOUNT_RATE_LIMITS = {
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "reauthenticate": "10/m/user",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "confirm_email": "1/180s/key",
}
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False


def social_provider(name: str, **settings) -> dict:
    """A provider's settings, with an app from the environment when its id is set.

    Providers can also be configured in the Django admin (Social applications);
    with neither, allauth lists no button for them.
    """
    client_id = env(f"{name}_CLIENT_ID", default="")
    if client_id:
        settings["APPS"] = [
            {
                "client_id": client_id,
                "secret": env(f"{name}_CLIENT_SECRET", default=""),
                "settings": settings.pop("APP_SETTINGS", {}),
            }
        ]
    settings.pop("APP_SETTINGS", None)
    return settings


SOCIALACCOUNT_PROVIDERS = {
    "google": social_provider(
        "GOOGLE", SCOPE=["profile", "email"], AUTH_PARAMS={"access_type": "online"}
    ),
    "microsoft": social_provider(
        "MICROSOFT",
        APP_SETTINGS={"tenant": env("MICROSOFT_TENANT", default="common")},
    ),
    "facebook": social_provider(
        "FACEBOOK", METHOD="oauth2", SCOPE=["email", "public_profile"]
    ),
}
MFA_ADAPTER = "myaccount.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("WAGTAIL_SITE_NAME", default="Guildhall")
USERSESSIONS_TRACK_ACTIVITY = False
# Back-office adapters used by My Account (see docs/accounts.md).
ADDRESS_LOOKUP_BACKEND = env("ADDRESS_LOOKUP_BACKEND", default="local")
ADDRESS_LOOKUP_URL = env(
    "ADDRESS_LOOKUP_URL", default="https://api.os.uk/search/places/v1/postcode"
)
ADDRESS_LOOKUP_API_KEY = env("ADDRESS_LOOKUP_API_KEY", default="")
COUNCIL_TAX_BACKEND = env("COUNCIL_TAX_BACKEND", default="local")
COUNCIL_TAX_API_URL = env("COUNCIL_TAX_API_URL", default="")
COUNCIL_TAX_API_TOKEN = env("COUNCIL_TAX_API_TOKEN", default="")
BACK_OFFICE_TIMEOUT_SECONDS = env.float("BACK_OFFICE_TIMEOUT_SECONDS", default=5.0)
# Council tax linking attempts per window: per resident, per client address (a
# second account from the same place shares it) and per council tax account.
COUNCIL_TAX_LINK_ATTEMPTS = env.int("COUNCIL_TAX_LINK_ATTEMPTS", default=5)
COUNCIL_TAX_LINK_CLIENT_ATTEMPTS = env.int(
    "COUNCIL_TAX_LINK_CLIENT_ATTEMPTS", default=5
)
COUNCIL_TAX_LINK_REFERENCE_ATTEMPTS = env.int(
    "COUNCIL_TAX_LINK_REFERENCE_ATTEMPTS", default=5
)
COUNCIL_TAX_LINK_WINDOW_SECONDS = env.int(
    "COUNCIL_TAX_LINK_WINDOW_SECONDS", default=60 * 60
)
# Organisation invitations each resident, and each organisation, may send in any
# 24 hours (they go from the council's address; see docs/security.md).
ORGANISATION_INVITATIONS_PER_USER_PER_DAY = env.int(
    "ORGANISATION_INVITATIONS_PER_USER_PER_DAY", default=10
)
ORGANISATION_INVITATIONS_PER_ORGANISATION_PER_DAY = env.int(
    "ORGANISATION_INVITATIONS_PER_ORGANISATION_PER_DAY", default=20
)
# Cases (services; see docs/cases.md): the waste back office and notifications.
WASTE_BACKEND = env("WASTE_BACKEND", default="local")  # "local" or "http"
WASTE_API_URL = env("WASTE_API_URL", default="")
WASTE_API_TOKEN = env("WASTE_API_TOKEN", default="")
WASTE_TIMEOUT_SECONDS = env.float("WASTE_TIMEOUT_SECONDS", default=5.0)
# Notifications (docs/api.md, "GOV.UK Notify"): "local" (Django email, texts to
# the log) or "govuk_notify" (needs the API key and a template per channel).
# Notify's delivery receipts are accepted with NOTIFY_CALLBACK_TOKEN as bearer.
NOTIFY_API_KEY = env("NOTIFY_API_KEY", default="")
NOTIFY_PROVIDER = env("NOTIFY_PROVIDER", default="") or (
    "govuk_notify" if NOTIFY_API_KEY else "local"
)
NOTIFY_EMAIL_TEMPLATE_ID = env("NOTIFY_EMAIL_TEMPLATE_ID", default="")
NOTIFY_SMS_TEMPLATE_ID = env("NOTIFY_SMS_TEMPLATE_ID", default="")
NOTIFY_SMS_SENDER_ID = env("NOTIFY_SMS_SENDER_ID", default="")
NOTIFY_CALLBACK_TOKEN = env("NOTIFY_CALLBACK_TOKEN", default="")
NOTIFY_BASE_URL = env(
    "NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk"
)
NOTIFY_TIMEOUT_SECONDS = env.float("NOTIFY_TIMEOUT_SECONDS", default=10.0)
CASE_TRACK_RATE_LIMIT = env.int("CASE_TRACK_RATE_LIMIT", default=10)
CASE_TRACK_RATE_WINDOW_SECONDS = env.int("CASE_TRACK_RATE_WINDOW_SECONDS", default=600)
CASE_PHOTO_MAX_BYTES = env.int("CASE_PHOTO_MAX_BYTES", default=10 * 1024 * 1024)
# Files residents attach to editor-built forms (docs/cases.md, "Uploads"): size limit,
# virus scanning by clamd when CLAMD_URL is set (tcp://host:3310), else a local
# scanner that only knows the EICAR test file.
CASE_UPLOAD_MAX_BYTES = env.int("CASE_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
CLAMD_URL = env("CLAMD_URL", default="")
CLAMD_TIMEOUT_SECONDS = env.float("CLAMD_TIMEOUT_SECONDS", default=10.0)
# Card payments (docs/payments-and-bookings.md): "sandbox" is the local provider with
# GOV.UK Pay's test cards; "govuk_pay" needs GOVUK_PAY_API_KEY and, for webhooks,
# GOVUK_PAY_WEBHOOK_SECRET. Payments still in progress after PAYMENT_MOPUP_MINUTES
# are checked with the provider by the mop-up job.
PAYMENT_PROVIDER = env("PAYMENT_PROVIDER", default="sandbox")
GOVUK_PAY_API_URL = env(
    "GOVUK_PAY_API_URL", default="https://publicapi.payments.service.gov.uk"
)
GOVUK_PAY_API_KEY = env("GOVUK_PAY_API_KEY", default="")
GOVUK_PAY_WEBHOOK_SECRET = env("GOVUK_PAY_WEBHOOK_SECRET", default="")
GOVUK_PAY_TIMEOUT_SECONDS = env.float("GOVUK_PAY_TIMEOUT_SECONDS", default=10.0)
PAYMENT_MOPUP_MINUTES = env.int("PAYMENT_MOPUP_MINUTES", default=5)
# Concession checks (benefits / council tax reduction references) for charged
# services: "local" demo provider or "http" (the council's benefits back office).
CONCESSIONS_BACKEND = env("CONCESSIONS_BACKEND", default="local")
CONCESSIONS_API_URL = env("CONCESSIONS_API_URL", default="")
CONCESSIONS_API_TOKEN = env("CONCESSIONS_API_TOKEN", default="")
CONCESSIONS_TIMEOUT_SECONDS = env.float("CONCESSIONS_TIMEOUT_SECONDS", default=5.0)
# Closed cases are erased in batches of this many by the retention job.
CASE_RETENTION_BATCH_SIZE = env.int("CASE_RETENTION_BATCH_SIZE", default=500)
# Photos and files of journeys nobody finished are deleted after this many hours
# (services.retention.sweep_abandoned_uploads, hourly).
CASE_UPLOAD_ABANDONED_HOURS = env.int("CASE_UPLOAD_ABANDONED_HOURS", default=24)
# How long a guest's "save and come back later" link works (services.saved_journeys).
JOURNEY_RESUME_DAYS = env.int("JOURNEY_RESUME_DAYS", default=28)

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "static")
MEDIA_URL = env("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Residents' uploads are private: never under MEDIA_ROOT (which may be served),
# only streamed to staff who can see the case. Point this at a private bucket in
# production (django-storages), never a public one.
CASE_UPLOADS_ROOT = env.path("CASE_UPLOADS_ROOT", default=BASE_DIR / "var" / "uploads")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "case_uploads": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(CASE_UPLOADS_ROOT), "base_url": "/no-public-url/"},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 60 * 60

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# A deployment (check --deploy) refuses email that is never delivered (the console
# default prints password reset links to the log) and the demo stand-ins for the
# back offices, unless allowed here by name: address_lookup, council_tax, waste,
# clamav, payments, concessions. See docs/security.md.
ALLOW_CONSOLE_EMAIL = env.bool("ALLOW_CONSOLE_EMAIL", default=False)
ALLOW_DEMO_PROVIDERS = env.list("ALLOW_DEMO_PROVIDERS", default=[])
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@guildhall.example")

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail.
WAGTAIL_SITE_NAME = env("WAGTAIL_SITE_NAME", default="Guildhall")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Site search (docs/search.md): the database backend above by default; with
# ELASTICSEARCH_URL the search app indexes into and queries Elasticsearch instead.
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
ELASTICSEARCH_INDEX = env("ELASTICSEARCH_INDEX", default="guildhall-pages")
ELASTICSEARCH_TIMEOUT_SECONDS = env.float("ELASTICSEARCH_TIMEOUT_SECONDS", default=5.0)
# A resident's search waits at most this long for the cluster (no retries), then
# the database engine answers; the cluster is then left alone for the retry time.
ELASTICSEARCH_QUERY_TIMEOUT_SECONDS = env.float(
    "ELASTICSEARCH_QUERY_TIMEOUT_SECONDS", default=2.0
)
ELASTICSEARCH_RETRY_SECONDS = env.float("ELASTICSEARCH_RETRY_SECONDS", default=30.0)
WAGTAILDOCS_DOCUMENT_MODEL = "search.CouncilDocument"
# Staff sign in, reset and change passwords and email addresses through allauth
# (with its rate limits, verification and two-factor stage), never Wagtail's forms;
# pages are private to signed-in users or groups, never behind a shared password.
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
# New staff accounts are made without a password: the person sets one with
# allauth's reset, which also proves the email address is theirs.
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"PASSWORD": False}
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"PASSWORD": False}
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
# Staff avatars are uploaded in the admin, never fetched from gravatar.com: the
# admin would otherwise send a hash of each staff email address to a third party
# on every page (and the admin's Content-Security-Policy blocks it anyway).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "odt",
    "ods",
    "pdf",
    "pptx",
    "rtf",
    "txt",
    "xlsx",
]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"

# The page cache (home/platform/cache.py), the front cache (nginx, cms/deploy/) and
# the purges triggered by publishing (home/platform/frontcache.py).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
BROWSER_CACHE_SECONDS = env.int("BROWSER_CACHE_SECONDS", default=60)
# How long a shared cache may serve a public page past its s-maxage: while it
# fetches a fresh copy in the background, and while the app is down or failing.
STALE_WHILE_REVALIDATE_SECONDS = env.int("STALE_WHILE_REVALIDATE_SECONDS", default=60)
STALE_IF_ERROR_SECONDS = env.int("STALE_IF_ERROR_SECONDS", default=60 * 60 * 24)
WAGTAILFRONTENDCACHE = {
    "pagecache": {"BACKEND": "home.platform.cache.PageCacheBackend"}
}
if env("FRONTEND_CACHE_NGINX_URL", default=""):
    # nginx's purge listener (cms/deploy/nginx.conf), reachable from the app only.
    WAGTAILFRONTENDCACHE["nginx"] = {
        "BACKEND": "home.platform.frontcache.NginxPurgeBackend",
        "LOCATION": env("FRONTEND_CACHE_NGINX_URL"),
    }
if env("FRONTEND_CACHE_PURGE_URL", default=""):
    # An HTTP cache in front (Varnish or similar) that accepts PURGE requests.
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env("FRONTEND_CACHE_PURGE_URL"),
    }
if env("CLOUDFLARE_API_TOKEN", default=""):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": env("CLOUDFLARE_API_TOKEN"),
        "ZONEID": env("CLOUDFLARE_ZONE_ID"),
    }
# Each worker keeps its own copies of the pages it serves most and confirms the
# generation with the shared cache at most this often, so another worker's publish
# shows within this many seconds. Off when a shared cache sits in front: it asks
# for a page right after purging it and must get the new one (home/platform/cache.py).
PAGE_CACHE_LOCAL_SECONDS = env.float(
    "PAGE_CACHE_LOCAL_SECONDS",
    default=0.0 if set(WAGTAILFRONTENDCACHE) - {"pagecache"} else 1.0,
)

# Maps (docs/maps.md): the tile server the street-problem map loads images from
# (its host is added to the CSP img-src of pages with a map, and only those), and
# the council's area as south,west,north,east: a map pin outside it is refused.
MAP_TILE_URL = env(
    "MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
MAP_TILE_ATTRIBUTION = env(
    "MAP_TILE_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">'
    "OpenStreetMap</a> contributors",
)
COUNCIL_BOUNDS = env.list(
    "COUNCIL_BOUNDS", cast=float, default=[51.0, -1.0, 51.5, -0.2]
)

# Security headers (see docs/security.md). django-csp 4 takes a dict.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": [
            "'self'",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": ["self"],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Behind reverse proxies that append to X-Forwarded-For, rate limits (ours and
# allauth's) key on the address the outermost trusted proxy saw: the entry
# TRUSTED_PROXY_COUNT places from the right (home/platform/clients.py).
TRUST_X_FORWARDED_FOR = env.bool("TRUST_X_FORWARDED_FOR", default=False)
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)

# Page feedback: how many submissions one client may send in the window.
FEEDBACK_RATE_LIMIT = env.int("FEEDBACK_RATE_LIMIT", default=10)
FEEDBACK_RATE_WINDOW_SECONDS = env.int("FEEDBACK_RATE_WINDOW_SECONDS", default=600)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Personalisation: wagtail-personalisation's segment builder, evaluated without
# sessions or writes (see docs/personalisation.md).
PERSONALISATION_SEGMENTS_ADAPTER = "personalisation.adapters.CachedSegmentsAdapter"
