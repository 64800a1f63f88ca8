"""Social sign-in with Google, Microsoft and Facebook, tested the way allauth tests
its providers: the real login and callback views, with the provider's token and
profile endpoints answered from recorded responses (``responses``), no network."""

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from django.contrib.auth import get_user_model
from django.core import mail

import pytest
import responses
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp

from tests.myaccount.factories import with_two_factor

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "http"

PROVIDERS = {
    "google": {
        "token": ("POST", re.compile(r"https://oauth2\.googleapis\.com/token")),
        "profile": (
            "GET",
            re.compile(r"https://www\.googleapis\.com/oauth2/v2/userinfo.*"),
        ),
        "files": ("google/token.json", "google/userinfo.json"),
        "authorize_host": "accounts.google.com",
        "email": "priya.shah@gmail.example",
        "name": ("Priya", "Shah"),
        "uid": "108204268033311374519",
        "verified": True,
    },
    "microsoft": {
        "token": (
            "POST",
            re.compile(
                r"https://login\.microsoftonline\.com/common/oauth2/v2\.0/token"
            ),
        ),
        "profile": ("GET", re.compile(r"https://graph\.microsoft\.com/v1\.0/me.*")),
        "files": ("microsoft/token.json", "microsoft/me.json"),
        "authorize_host": "login.microsoftonline.com",
        "email": "owen.price@outlook.example",
        "name": ("Owen", "Price"),
        "uid": "00000000-0000-0000-66f3-3332eca7ea81",
        "verified": False,
    },
    "facebook": {
        "token": (
            "GET",
            re.compile(r"https://graph\.facebook\.com/v[\d.]+/oauth/access_token.*"),
        ),
        "profile": ("GET", re.compile(r"https://graph\.facebook\.com/v[\d.]+/me.*")),
        "files": ("facebook/token.json", "facebook/me.json"),
        "authorize_host": "www.facebook.com",
        "email": "lena.novak@facebook.example",
        "name": ("Lena", "Novak"),
        "uid": "10157418201553862",
        "verified": False,
    },
}


def recorded(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def configure(provider: str) -> SocialApp:
    return SocialApp.objects.create(
        provider=provider,
        name=provider.title(),
        client_id=f"{provider}-client-id",
        secret=f"{provider}-client-secret",
    )


def test_social_buttons_are_hidden_when_no_provider_is_configured(client, home_page):
    html = client.get("/account/login/").content.decode()
    assert "Continue with" not in html
    assert "/account/google/login/" not in html


def test_a_configured_provider_shows_its_button(client, home_page):
    configure("google")
    html = client.get("/account/login/").content.decode()
    assert "/account/google/login/" in html
    assert "/account/microsoft/login/" not in html
    assert "/account/facebook/login/" not in html


@pytest.mark.parametrize("provider", sorted(PROVIDERS))
def test_social_sign_up_with_recorded_provider_responses(client, home_page, provider):
    spec = PROVIDERS[provider]
    configure(provider)
    # Signing in with a provider is a POST (no sign-in on GET: allauth's CSRF rule).
    response = client.post(f"/account/{provider}/login/")
    assert response.status_code == 302
    authorize = urlparse(response["Location"])
    assert authorize.hostname == spec["authorize_host"]
    state = parse_qs(authorize.query)["state"][0]

    token_file, profile_file = spec["files"]
    with responses.RequestsMock() as rsps:
        rsps.add(spec["token"][0], spec["token"][1], json=recorded(token_file))
        rsps.add(spec["profile"][0], spec["profile"][1], json=recorded(profile_file))
        response = client.get(
            f"/account/{provider}/login/callback/",
            {"code": "recorded-authorisation-code", "state": state},
        )
    assert response.status_code == 302, response.content[:2000]
    account = SocialAccount.objects.get(provider=provider)
    assert account.uid == spec["uid"]
    user = account.user
    assert (user.first_name, user.last_name) == spec["name"]
    assert user.email == spec["email"]
    address = EmailAddress.objects.get(user=user, email=spec["email"])
    assert address.verified is spec["verified"]
    if spec["verified"]:
        # The provider vouches for the address: the resident is signed in.
        assert client.session["_auth_user_id"] == str(user.pk)
    else:
        # Otherwise the address is confirmed by email first, like any sign-up.
        assert response["Location"] == "/account/confirm-email/"
        assert mail.outbox[-1].to == [spec["email"]]


def test_a_refused_callback_shows_an_error_and_creates_nothing(client, home_page):
    configure("google")
    client.post("/account/google/login/")
    response = client.get(
        "/account/google/login/callback/", {"error": "access_denied", "state": "x"}
    )
    assert response.status_code == 401
    assert 'class="govuk-heading-l"' in response.content.decode()
    assert not get_user_model().objects.exists()


def test_admins_can_add_a_provider_in_the_wagtail_admin(
    client, home_page, django_user_model
):
    admin = django_user_model.objects.create_superuser(
        "root", "root@guildhall.example", "pw-root-123"
    )
    with_two_factor(admin)
    client.force_login(admin)
    response = client.post(
        "/admin/social_apps/new/",
        {
            "provider": "google",
            "name": "Google",
            "client_id": "id-1",
            "secret": "s-1",
            "key": "",
            "settings": "{}",
        },
    )
    assert response.status_code == 302, response.content[:3000]
    client.logout()
    assert "/account/google/login/" in client.get("/account/login/").content.decode()


def test_provider_apps_come_from_the_environment(monkeypatch):
    from cms.settings.base import social_provider

    monkeypatch.delenv("GOOGLE_CLIENT_ID", raising=False)
    assert "APPS" not in social_provider("GOOGLE", SCOPE=["email"])
    monkeypatch.setenv("GOOGLE_CLIENT_ID", "env-client-id")
    monkeypatch.setenv("GOOGLE_CLIENT_SECRET", "env-secret")
    app = social_provider("GOOGLE", SCOPE=["email"], APP_SETTINGS={"x": 1})["APPS"][0]
    assert app == {
        "client_id": "env-client-id",
        "secret": "env-secret",
        "settings": {"x": 1},
    }
