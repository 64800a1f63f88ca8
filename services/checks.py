"""System checks: fail start-up when a real integration is chosen but not configured."""

from django.conf import settings
from django.core.checks import Error, register


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
