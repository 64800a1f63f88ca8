"""What the accessibility audit checks of accounts (registered in wagtail_hooks): the
public sign-in pages and their error states, and every My Account page signed in as
a demo resident."""

import os

from home.a11y.audit import AccountPages
from home.a11y.journeys import Field, Journey, Step

DEMO_RESIDENT = "amira.khan"
DEMO_EMAIL = "amira.khan@example.com"


def public_paths(site) -> list[tuple[str, str]]:
    if not site.is_default_site:
        return []
    from django.contrib.auth import get_user_model

    from myaccount.bulletins import unsubscribe_token

    paths = [
        ("Sign in", "/account/login/"),
        ("Create an account", "/account/signup/"),
        ("Reset your password", "/account/password/reset/"),
    ]
    resident = get_user_model().objects.filter(username=DEMO_RESIDENT).first()
    if resident is not None:
        token = unsubscribe_token(resident.pk, "bins")
        paths.append(("Unsubscribe from a topic", f"/account/unsubscribe/{token}/"))
    return paths


def account_pages() -> list[AccountPages]:
    return [
        AccountPages(
            user=DEMO_RESIDENT,
            paths=[
                ("Your account (dashboard)", "/your-account/"),
                ("Your requests", "/account/requests/"),
                ("Your details", "/account/profile/"),
                ("Change your details", "/account/profile/edit/"),
                ("Your address", "/account/profile/address/"),
                ("How we contact you", "/account/profile/contact/"),
                ("Link a council tax account", "/account/council-tax/link/"),
                ("Your data", "/account/your-data/"),
                ("Delete your account", "/account/delete/"),
                ("Your organisations", "/account/organisations/"),
                ("Register an organisation", "/account/organisations/new/"),
                ("Email addresses", "/account/email/"),
                ("Change your password", "/account/password/change/"),
                ("Two-factor authentication", "/account/2fa/"),
            ],
        )
    ]


def journeys() -> list[Journey]:
    password = os.environ.get("DEMO_RESIDENT_PASSWORD") or "guildhall-resident-2026"

    def on_council_site(path):
        return lambda site: path if site.is_default_site else None

    return [
        Journey(
            name="Sign in",
            start=on_council_site("/account/login/"),
            steps=[
                Step(
                    "nothing entered (error)",
                    [],
                    expect="There is a problem",
                    form="form[action$='/account/login/']",
                ),
                Step(
                    "wrong password (error)",
                    [Field("login", DEMO_EMAIL), Field("password", "not-the-password")],
                    expect="There is a problem",
                ),
                Step(
                    "signed in",
                    [Field("login", DEMO_EMAIL), Field("password", password)],
                    expect="Sign out",
                ),
            ],
        ),
        Journey(
            name="Create an account",
            start=on_council_site("/account/signup/"),
            steps=[
                Step(
                    "nothing entered (error)",
                    [],
                    expect="There is a problem",
                    form="form[action$='/account/signup/']",
                ),
            ],
        ),
    ]
