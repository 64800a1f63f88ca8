"""allauth is the only way in: every URL the project answers is tried with a
password, and only allauth's sign-in (rate limited, two-factor and email
verification enforced) may ever start a session.

The URLconf is walked with ``django.urls.get_resolver()``: every pattern, with
sample values for its parameters, resolved to the view that really answers it.
"""

from __future__ import annotations

import re

from django.contrib.auth import authenticate
from django.core import mail
from django.test import Client

import pytest

from tests.myaccount.factories import (
    PASSWORD,
    ResidentFactory,
    totp_code,
    with_two_factor,
)
from tests.urlconf import every_url

pytestmark = pytest.mark.django_db

PASSWORD_INPUT = re.compile(r"<input[^>]*type=\"password\"", re.IGNORECASE)
SIGN_IN_NAME = re.compile(r"login|authenticate|password", re.IGNORECASE)
RESET_NAME = re.compile(r"reset", re.IGNORECASE)


def is_allauths(match) -> bool:
    return match.func.__module__.startswith("allauth.")


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def credentials(email: str, password: str = PASSWORD) -> dict:
    """Every field name a password form anywhere might read."""
    return {
        "login": email,
        "email": email,
        "username": email,
        "password": password,
        "password1": password,
        "password2": password,
        "new_password1": password,
        "new_password2": password,
        "remember": "on",
    }


def quiet_client() -> Client:
    client = Client()
    client.raise_request_exception = False  # placeholder ids may upset a view
    return client


@pytest.fixture
def urls(home_page):
    found = every_url()
    assert len(found) > 300  # the whole URLconf, admin included
    return found


@pytest.fixture
def protected(db):
    """A verified resident who turned two-factor authentication on."""
    user = ResidentFactory()
    return user, with_two_factor(user)


def test_the_walk_finds_every_sign_in_address(urls):
    views = {url: match.view_name for url, match in urls.items()}
    assert views["/account/login/"] == "account_login"
    assert views["/admin/login/"] == "admin_login"
    assert views["/_util/login/"] == "frontend_login"
    assert views["/_util/authenticate_with_password/1/1/"] == "page_password"
    assert views["/documents/authenticate_with_password/1/"] == "document_password"
    assert views["/admin/password_reset/"] == "wagtailadmin_password_reset"


def test_only_allauths_views_ask_for_a_password(urls, admin_user):
    """No page outside allauth shows a password field, to a visitor or to a
    signed-in superuser (Wagtail's own login, reset, change-password and
    set-a-user's-password forms are all gone)."""
    visitor, superuser = quiet_client(), quiet_client()
    superuser.force_login(admin_user)
    asking = {}
    for url, match in urls.items():
        for who, client in (("visitor", visitor), ("superuser", superuser)):
            if who == "superuser" and "logout" in (match.view_name or ""):
                continue  # Wagtail's drops the session cookie even on a GET
            response = client.get(url)
            if PASSWORD_INPUT.search(response.content.decode(errors="replace")):
                asking.setdefault(url, (match, who))
    assert signed_in(superuser)
    assert "/account/login/" in asking  # the check sees a password form
    assert "/account/password/change/" in asking
    outside = {
        url: f"{match.view_name} ({who})"
        for url, (match, who) in asking.items()
        if not is_allauths(match)
    }
    assert outside == {}


def test_a_password_starts_a_session_only_at_allauths_sign_in(urls, protected):
    """Every URL gets a POST of a resident's email and password. Without
    two-factor the resident is signed in by allauth's sign-in form and nowhere
    else; with it, or unverified, nowhere at all."""
    plain = ResidentFactory()
    unverified = ResidentFactory(verified=False)
    two_factor, _secret = protected
    sessions = {"plain": [], "two-factor": [], "unverified": []}
    senders = []
    for url, match in urls.items():
        for label, user in (
            ("plain", plain),
            ("two-factor", two_factor),
            ("unverified", unverified),
        ):
            client = quiet_client()
            before = len(mail.outbox)
            client.post(url, credentials(user.email))
            if signed_in(client):
                sessions[label].append(url)
            if len(mail.outbox) > before and not is_allauths(match):
                senders.append(url)
    assert sessions == {
        "plain": ["/account/login/"],
        "two-factor": [],
        "unverified": [],
    }
    assert senders == []


def test_django_authenticate_refuses_a_password_outside_allauth(protected):
    user, _secret = protected
    plain = ResidentFactory()
    for who in (user, plain):
        assert authenticate(None, username=who.email, password=PASSWORD) is None
        assert authenticate(None, email=who.email, password=PASSWORD) is None
        assert authenticate(None, username=who.username, password=PASSWORD) is None


def test_thirty_wrong_passwords_then_the_right_one_is_refused_everywhere(urls):
    """allauth's sign-in answers 429; every other sign-in address refuses (404 or
    a redirect to allauth's) and never signs anyone in."""
    user = ResidentFactory()
    sign_in_urls = [
        url
        for url, match in urls.items()
        if match.view_name and SIGN_IN_NAME.search(match.view_name)
    ]
    assert "/admin/login/" in sign_in_urls and "/account/login/" in sign_in_urls
    for url in sign_in_urls:
        client = quiet_client()
        from django.core.cache import cache

        cache.clear()  # each address starts with allauth's limits untouched
        for attempt in range(30):
            client.post(url, credentials(user.email, f"wrong-password-{attempt}"))
        last = client.post(url, credentials(user.email))
        assert not signed_in(client), url
        if url == "/account/login/":
            assert last.status_code == 429
        elif not is_allauths(urls[url]):
            assert last.status_code == 404 or (
                last.status_code == 302
                and last["Location"].startswith("/account/login/")
            ), url


def test_password_reset_emails_stop_at_allauths_limit_everywhere(urls):
    user = ResidentFactory()
    reset_urls = [
        url
        for url, match in urls.items()
        if match.view_name and RESET_NAME.search(match.view_name)
    ]
    assert "/admin/password_reset/" in reset_urls
    assert "/account/password/reset/" in reset_urls
    for url in reset_urls:
        mail.outbox.clear()
        client = quiet_client()
        answers = [
            client.post(url, {"email": user.email}).status_code for _ in range(8)
        ]
        sent = [m for m in mail.outbox if user.email in m.to]
        assert len(sent) <= 5, url
        if url == "/account/password/reset/":
            assert len(sent) == 5 and answers[-1] == 429
        else:
            assert sent == [], url


def test_wagtails_sign_in_pages_send_people_to_allauth_and_keep_next_safe(client):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=%2Fadmin%2Fpages%2F"
    for hostile in ("//evil.example", "https://evil.example/", "/\\evil.example"):
        response = client.get("/admin/login/", {"next": hostile})
        assert response["Location"] == "/account/login/?next=%2Fadmin%2F"
    assert client.get("/_util/login/?next=/about/")["Location"] == (
        "/account/login/?next=%2Fabout%2F"
    )
    assert client.get("/_util/login/")["Location"] == "/account/login/"


def test_the_admin_sends_a_visitor_to_allauths_sign_in(client):
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/admin/pages/"


def test_a_resident_with_two_factor_needs_the_code_for_a_session(
    client, protected, my_account_page
):
    user, secret = protected
    response = client.post(
        "/account/login/", {"login": user.email, "password": PASSWORD}
    )
    assert response["Location"] == "/account/2fa/authenticate/"
    assert not signed_in(client)
    for url in ("/account/", "/account/profile/", "/account/your-data/download.json"):
        answer = client.get(url)
        assert answer.status_code == 302 and answer["Location"].startswith(
            "/account/login/"
        )
    response = client.post("/account/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/account/your-data/download.json").status_code == 200


def test_an_unverified_account_cannot_sign_in(client, home_page):
    user = ResidentFactory(verified=False)
    response = client.post(
        "/account/login/", {"login": user.email, "password": PASSWORD}
    )
    assert response["Location"] == "/account/confirm-email/"
    assert not signed_in(client)
    assert client.get("/account/profile/").status_code == 302


def test_a_password_reset_signs_nobody_in(client, protected):
    user, _secret = protected
    client.post("/account/password/reset/", {"email": user.email})
    key_url = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body).group(1)
    form_url = client.get(key_url)["Location"]
    new_password = "a-Brand-new-pw-2027"
    response = client.post(
        form_url, {"password1": new_password, "password2": new_password}
    )
    assert response.status_code == 302
    assert not signed_in(client)
