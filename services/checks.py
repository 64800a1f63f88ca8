"""System checks: fail start-up when a real integration is chosen but not configured,
and a deployment (``check --deploy``) that would use a demo stand-in unless a named
setting allows it."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

# What ALLOW_DEMO_PROVIDERS may name for this app (myaccount.checks lists them all).
DEMO_PROVIDERS = {
    "waste": "WASTE_BACKEND",
    "clamav": "CLAMD_URL",
    "payments": "PAYMENT_PROVIDER",
    "concessions": "CONCESSIONS_BACKEND",
    "notify": "NOTIFY_PROVIDER",
}


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
    if settings.NOTIFY_PROVIDER not in ("local", "govuk_notify"):
        errors.append(
            Error(
                "NOTIFY_PROVIDER must be 'local' or 'govuk_notify'.",
                id="services.E013",
            )
        )
    if settings.NOTIFY_PROVIDER == "govuk_notify" and not (
        settings.NOTIFY_API_KEY
        and settings.NOTIFY_EMAIL_TEMPLATE_ID
        and settings.NOTIFY_SMS_TEMPLATE_ID
    ):
        errors.append(
            Error(
                "NOTIFY_PROVIDER=govuk_notify needs NOTIFY_API_KEY, "
                "NOTIFY_EMAIL_TEMPLATE_ID and NOTIFY_SMS_TEMPLATE_ID.",
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
    if settings.PAYMENT_PROVIDER not in ("sandbox", "govuk_pay"):
        errors.append(
            Error(
                "PAYMENT_PROVIDER must be 'sandbox' or 'govuk_pay'.",
                id="services.E007",
            )
        )
    if settings.PAYMENT_PROVIDER == "govuk_pay" and not (
        settings.GOVUK_PAY_API_KEY and settings.GOVUK_PAY_WEBHOOK_SECRET
    ):
        errors.append(
            Error(
                "PAYMENT_PROVIDER=govuk_pay needs GOVUK_PAY_API_KEY and "
                "GOVUK_PAY_WEBHOOK_SECRET.",
                id="services.E008",
            )
        )
    if settings.CONCESSIONS_BACKEND not in ("local", "http"):
        errors.append(
            Error("CONCESSIONS_BACKEND must be 'local' or 'http'.", id="services.E009")
        )
    if settings.CONCESSIONS_BACKEND == "http" and not settings.CONCESSIONS_API_URL:
        errors.append(
            Error(
                "CONCESSIONS_BACKEND=http needs CONCESSIONS_API_URL.",
                id="services.E010",
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
    if settings.PAYMENT_PROVIDER == "sandbox" and "payments" not in allowed:
        errors.append(
            Error(
                "PAYMENT_PROVIDER is 'sandbox': residents would be shown a test card "
                "page and no money would be taken.",
                hint="Set PAYMENT_PROVIDER=govuk_pay with GOVUK_PAY_API_KEY and "
                "GOVUK_PAY_WEBHOOK_SECRET, or add payments to ALLOW_DEMO_PROVIDERS.",
                id="services.E011",
            )
        )
    if settings.CONCESSIONS_BACKEND == "local" and "concessions" not in allowed:
        errors.append(
            Error(
                "CONCESSIONS_BACKEND is 'local': concession references would be "
                "checked against made-up demo rules, not the benefits system.",
                hint="Set CONCESSIONS_BACKEND=http with CONCESSIONS_API_URL, or add "
                "concessions to ALLOW_DEMO_PROVIDERS.",
                id="services.E012",
            )
        )
    if settings.NOTIFY_PROVIDER == "local" and "notify" not in allowed:
        errors.append(
            Error(
                "NOTIFY_PROVIDER is 'local': residents' texts would only be written "
                "to the log and no delivery receipts would arrive.",
                hint="Set NOTIFY_PROVIDER=govuk_notify with NOTIFY_API_KEY, the "
                "template ids and NOTIFY_CALLBACK_TOKEN, or add notify to "
                "ALLOW_DEMO_PROVIDERS.",
                id="services.E014",
            )
        )
    if settings.NOTIFY_PROVIDER == "govuk_notify" and not (
        settings.NOTIFY_CALLBACK_TOKEN
    ):
        errors.append(
            Error(
                "NOTIFY_CALLBACK_TOKEN is not set: GOV.UK Notify's delivery receipts "
                "would be refused, so staff would never see a failed message.",
                hint="Set NOTIFY_CALLBACK_TOKEN to the bearer token given to Notify.",
                id="services.E015",
            )
        )
    return errors


@register()
def bank_holidays_cover_the_next_year(app_configs, **kwargs):
    """Complaint and FOI deadlines count working days: the bank holiday data must
    reach at least 12 months ahead (services.deadlines)."""
    import datetime

    from django.utils import timezone

    from services.deadlines import BANK_HOLIDAYS_FILE, covered_until

    if covered_until() < timezone.localdate() + datetime.timedelta(days=365):
        return [
            Warning(
                f"The bank holidays in {BANK_HOLIDAYS_FILE.name} end on "
                f"{covered_until()}: complaint and FOI deadlines after that count "
                "bank holidays as working days.",
                hint="Refresh it from https://www.gov.uk/bank-holidays.json "
                "(the england-and-wales part).",
                id="services.W001",
            )
        ]
    return []
