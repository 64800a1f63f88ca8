"""The demo as a visitor would run it: its staff sign in through allauth with a
verified email address and a two-factor code, and the demo partner
(``partner.contractor``, the Roadworks Partnership) sees the street problems routed
to it without the demo residents' personal details."""

from __future__ import annotations

import io

from django.core.management import CommandError, call_command
from django.test import Client

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from home.demo.builders import DemoBuilder, DemoConfig
from myaccount.demo import RESIDENTS, demo_staff_usernames, secure_demo_staff
from services.demo import PARTNER, PASSWORD_DEFAULT
from services.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    lines = []
    # The demo cases are added once the demo load has committed.
    with django_capture_on_commit_callbacks(execute=True):
        builder = DemoBuilder(DemoConfig.from_env(), log=lines.append).build()
    return builder


def demo_code(username: str, settings) -> str:
    settings.DEBUG = True
    out = io.StringIO()
    call_command("demo_totp", username, stdout=out)
    return out.getvalue().strip()


def test_demo_staff_sign_in_with_two_factor_and_the_partner_sees_only_the_work(
    demo, settings
):
    """One demo load (it takes a while) for both halves."""
    demo_staff_are_verified_and_enrolled(demo)
    the_demo_partner_signs_in_with_a_code_and_sees_only_what_the_work_needs(settings)


def demo_staff_are_verified_and_enrolled(demo):
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.filter(username__in=demo_staff_usernames())
    assert staff.count() == len(demo_staff_usernames())
    for user in staff:
        assert EmailAddress.objects.filter(user=user, verified=True).exists()
        assert Authenticator.objects.filter(user=user, type="totp").exists()
    assert any("app secret:" in line for line in demo.extra_summary_lines)
    # Loading again keeps each app (an authenticator already set up stays valid).
    secrets = dict(
        Authenticator.objects.filter(type="totp").values_list("user_id", "data")
    )
    lines = secure_demo_staff()
    assert not any("app secret:" in line for line in lines)
    assert (
        dict(Authenticator.objects.filter(type="totp").values_list("user_id", "data"))
        == secrets
    )


def the_demo_partner_signs_in_with_a_code_and_sees_only_what_the_work_needs(settings):
    _organisation, username = PARTNER
    client = Client()
    response = client.post(
        "/account/login/?next=/admin/cases/",
        {"login": f"{username}@guildhall.example", "password": PASSWORD_DEFAULT},
    )
    assert response["Location"] == "/account/2fa/authenticate/"
    response = client.post(
        "/account/2fa/authenticate/", {"code": demo_code(username, settings)}
    )
    assert response["Location"] == "/admin/cases/"

    routed = Case.objects.filter(partner__name=PARTNER[0])
    assert routed.exists()
    listing = client.get("/admin/cases/", {"status": "all"}).content.decode()
    pages = [listing] + [
        client.get(f"/admin/cases/{case.pk}/").content.decode() for case in routed
    ]
    for case in routed:
        assert case.reference in listing
    assert "Deep pothole by the bus stop" in pages[1]
    personal = [
        value
        for spec in RESIDENTS
        for value in (spec["email"], spec["first_name"], spec["last_name"])
    ] + [spec["phone"] for spec in RESIDENTS if spec["phone"]]
    leaked = {value for value in personal for page in pages if value in page}
    assert leaked == set()


def test_demo_totp_is_for_the_demo_staff_on_a_development_machine(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="development settings"):
        call_command("demo_totp", "admin", stdout=io.StringIO())
    settings.DEBUG = True
    with pytest.raises(CommandError, match="not one of the demo"):
        call_command("demo_totp", "amira.khan", stdout=io.StringIO())
