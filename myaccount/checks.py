"""System checks: a real back office selected but not configured fails start-up;
in a deployment (``check --deploy``) a demo stand-in does too, unless a named
setting allows it."""

from django.conf import settings
from django.core.checks import Error, Tags, register

# What ALLOW_DEMO_PROVIDERS may name: this app's back offices and services'.
DEMO_PROVIDERS = {
    "address_lookup": "ADDRESS_LOOKUP_BACKEND",
    "council_tax": "COUNCIL_TAX_BACKEND",
}
# Email backends that never deliver: they print (reset links included) to the log,
# keep messages in memory, write them to files or drop them.
UNDELIVERED_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


@register()
def back_office_settings(app_configs, **kwargs):
    errors = []
    if settings.COUNCIL_TAX_BACKEND not in ("local", "http"):
        errors.append(
            Error("COUNCIL_TAX_BACKEND must be 'local' or 'http'.", id="myaccount.E001")
        )
    if settings.COUNCIL_TAX_BACKEND == "http" and not (
        settings.COUNCIL_TAX_API_URL and settings.COUNCIL_TAX_API_TOKEN
    ):
        errors.append(
            Error(
                "COUNCIL_TAX_BACKEND is 'http' but COUNCIL_TAX_API_URL or "
                "COUNCIL_TAX_API_TOKEN is not set.",
                id="myaccount.E002",
            )
        )
    if settings.ADDRESS_LOOKUP_BACKEND not in ("local", "os_places"):
        errors.append(
            Error(
                "ADDRESS_LOOKUP_BACKEND must be 'local' or 'os_places'.",
                id="myaccount.E003",
            )
        )
    if settings.ADDRESS_LOOKUP_BACKEND == "os_places" and not (
        settings.ADDRESS_LOOKUP_API_KEY
    ):
        errors.append(
            Error(
                "ADDRESS_LOOKUP_BACKEND is 'os_places' but ADDRESS_LOOKUP_API_KEY "
                "is not set.",
                id="myaccount.E004",
            )
        )
    return errors


def demo_provider_allowed(name: str) -> bool:
    return name in settings.ALLOW_DEMO_PROVIDERS


@register(Tags.security, deploy=True)
def no_silent_demo_behaviour(app_configs, **kwargs):
    """A deployment never falls back to the demo without saying so: account
    emails (sign-up confirmations, password reset links) must really be sent,
    and the council tax and address look-ups must be the council's, unless
    ``ALLOW_CONSOLE_EMAIL`` / ``ALLOW_DEMO_PROVIDERS`` say otherwise."""
    from services.checks import DEMO_PROVIDERS as SERVICES_DEMO_PROVIDERS

    errors = []
    if (
        settings.EMAIL_BACKEND in UNDELIVERED_EMAIL_BACKENDS
        and not settings.ALLOW_CONSOLE_EMAIL
    ):
        errors.append(
            Error(
                f"Email is not delivered ({settings.EMAIL_BACKEND}): password reset "
                "links and sign-up confirmations would be written to the log.",
                hint="Set EMAIL_URL (e.g. smtp+tls://user:password@host:587), or "
                "ALLOW_CONSOLE_EMAIL=True for a deployment that must not send email.",
                id="myaccount.E005",
            )
        )
    if settings.COUNCIL_TAX_BACKEND == "local" and not demo_provider_allowed(
        "council_tax"
    ):
        errors.append(
            Error(
                "COUNCIL_TAX_BACKEND is 'local': residents would link and see the "
                "demo's made-up council tax accounts.",
                hint="Set COUNCIL_TAX_BACKEND=http with COUNCIL_TAX_API_URL and "
                "COUNCIL_TAX_API_TOKEN, or add council_tax to ALLOW_DEMO_PROVIDERS.",
                id="myaccount.E006",
            )
        )
    if settings.ADDRESS_LOOKUP_BACKEND == "local" and not demo_provider_allowed(
        "address_lookup"
    ):
        errors.append(
            Error(
                "ADDRESS_LOOKUP_BACKEND is 'local': address look-ups would offer "
                "only the demo's streets.",
                hint="Set ADDRESS_LOOKUP_BACKEND=os_places with "
                "ADDRESS_LOOKUP_API_KEY, or add address_lookup to "
                "ALLOW_DEMO_PROVIDERS.",
                id="myaccount.E007",
            )
        )
    known = set(DEMO_PROVIDERS) | set(SERVICES_DEMO_PROVIDERS)
    unknown = sorted(set(settings.ALLOW_DEMO_PROVIDERS) - known)
    if unknown:
        errors.append(
            Error(
                f"ALLOW_DEMO_PROVIDERS names {', '.join(unknown)}, which is not a "
                "demo provider.",
                hint="Use any of: " + ", ".join(sorted(known)) + ".",
                id="myaccount.E008",
            )
        )
    return errors
