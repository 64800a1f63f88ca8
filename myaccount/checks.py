"""System checks: a real back office selected but not configured fails start-up."""

from django.conf import settings
from django.core.checks import Error, register


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
