"""System checks: fail start-up when a real integration is chosen but not configured,
and a deployment (``check --deploy``) that would use a demo stand-in unless a named
setting allows it."""

from django.conf import settings
from django.core.checks import Error, Tags, register

# What ALLOW_DEMO_PROVIDERS may name for this app (myaccount.checks lists them all).
DEMO_PROVIDERS = {"waste": "WASTE_BACKEND", "clamav": "CLAMD_URL"}


@register()
def check_case_integrations(app_configs, **kwargs):
    errors = []
    if settings.WASTE_BACKEND not in ("local", "http"):
        errors.append(
            Error("WASTE_BACKEND must be 'local' or 'http'.", id="services.E001")
        )
    if settings.WASTE_BACKEND == "http" and not settings.WASTE_API_URL:
        errors.append(
            Error("WASTE_BACKEND=http needs WASTE_API_URL.", id="services.E002")
        )
    if settings.NOTIFY_API_KEY and not settings.NOTIFY_EMAIL_TEMPLATE_ID:
        errors.append(
            Error(
                "NOTIFY_API_KEY is set but NOTIFY_EMAIL_TEMPLATE_ID is not.",
                id="services.E003",
            )
        )
    if settings.CLAMD_URL:
        from services.integrations.clamav import parse_clamd_url

        try:
            parse_clamd_url(settings.CLAMD_URL)
        except ValueError:
            errors.append(
                Error(
                    "CLAMD_URL must look like tcp://127.0.0.1:3310.",
                    id="services.E004",
                )
            )
    return errors


@register(Tags.security, deploy=True)
def no_silent_demo_integrations(app_configs, **kwargs):
    """The waste back office and the virus scanner are the council's in a
    deployment, unless ``ALLOW_DEMO_PROVIDERS`` names the demo stand-in."""
    allowed = set(settings.ALLOW_DEMO_PROVIDERS)
    errors = []
    if settings.WASTE_BACKEND == "local" and "waste" not in allowed:
        errors.append(
            Error(
                "WASTE_BACKEND is 'local': missed-bin reports would be checked against "
                "made-up demo houses and rounds, not the council's.",
                hint="Set WASTE_BACKEND=http with WASTE_API_URL, or add waste to "
                "ALLOW_DEMO_PROVIDERS.",
                id="services.E005",
            )
        )
    if not settings.CLAMD_URL and "clamav" not in allowed:
        errors.append(
            Error(
                "CLAMD_URL is not set: residents' uploads would be scanned only for "
                "the EICAR test file, so real viruses would be accepted.",
                hint="Set CLAMD_URL (e.g. tcp://clamd.internal:3310), or add clamav "
                "to ALLOW_DEMO_PROVIDERS.",
                id="services.E006",
            )
        )
    return errors
