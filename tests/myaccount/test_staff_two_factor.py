"""Two-factor authentication is required of every member of staff with admin
access: they sign in through allauth like residents, enrol an authenticator app
before the admin opens, and cannot turn it off."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from myaccount.staff import must_enrol
from tests.myaccount.factories import (
    PASSWORD,
    ResidentFactory,
    totp_code,
    with_two_factor,
)
from tests.urlconf import every_url

pytestmark = pytest.mark.django_db

ENROL = "/account/2fa/totp/activate/"


def verified(user):
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


@pytest.fixture
def officer(django_user_model, home_page):
    """A case officer with admin access, email verified, no second factor yet."""
    group = Group.objects.create(name="Officers")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = django_user_model.objects.create_user(
        "officer", "officer@guildhall.example", PASSWORD
    )
    user.groups.add(group)
    return verified(user)


def test_who_must_enrol(officer, django_user_model):
    superuser = django_user_model.objects.create_superuser(
        "root", "root@guildhall.example", PASSWORD
    )
    flagged = django_user_model.objects.create_user(
        "flagged", "f@guildhall.example", PASSWORD, is_staff=True
    )
    resident = ResidentFactory()
    assert must_enrol(officer) and must_enrol(superuser) and must_enrol(flagged)
    assert not must_enrol(resident)
    with_two_factor(officer)
    assert not must_enrol(officer)


def test_staff_without_two_factor_are_sent_to_enrol_from_every_admin_url(officer):
    client = Client()
    client.raise_request_exception = False
    client.force_login(officer)
    admin_urls = [
        url
        for url in every_url()
        if url.startswith("/admin/") and url not in ("/admin/login/", "/admin/logout/")
    ]
    assert len(admin_urls) > 200
    answers = {url: client.get(url) for url in admin_urls}
    not_sent = {
        url: response.status_code
        for url, response in answers.items()
        if response.status_code != 302 or response["Location"] != ENROL
    }
    assert not_sent == {}
    # Still signed in, and sign-out still works.
    assert "_auth_user_id" in client.session
    client.post("/admin/logout/")
    assert "_auth_user_id" not in client.session


def test_first_sign_in_of_staff_enrols_two_factor_before_the_admin(client, officer):
    response = client.post(
        "/account/login/?next=/admin/",
        {"login": officer.email, "password": PASSWORD},
    )
    assert response["Location"] == "/admin/"
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == ENROL
    # allauth asks for the password again before a second factor is added.
    response = client.get(ENROL)
    assert response["Location"].startswith("/account/reauthenticate/")
    page = client.get(response["Location"])
    assert "Set up two-factor authentication to use the council&#x27;s admin" in (
        page.content.decode()
    )
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Location"] == ENROL
    page = client.get(ENROL)
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(ENROL, {"code": totp_code(secret)})
    assert response.status_code == 302
    codes = client.get(response["Location"])
    assert codes.status_code == 200
    assert 'href="/admin/">Continue to the council\'s admin' in (codes.content.decode())
    assert client.get("/admin/").status_code == 200


def test_staff_with_two_factor_need_the_code_to_reach_the_admin(client, officer):
    secret = with_two_factor(officer)
    response = client.post(
        "/account/login/?next=/admin/",
        {"login": officer.email, "password": PASSWORD},
    )
    assert response["Location"] == "/account/2fa/authenticate/"
    assert client.get("/admin/")["Location"] == "/account/login/?next=/admin/"
    response = client.post("/account/2fa/authenticate/", {"code": totp_code(secret)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_staff_cannot_turn_two_factor_off_but_residents_can(client, officer):
    with_two_factor(officer)
    client.force_login(officer)
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    client.post("/account/2fa/totp/deactivate/")
    assert Authenticator.objects.filter(user=officer, type="totp").exists()

    resident = ResidentFactory()
    with_two_factor(resident)
    client.force_login(resident)
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    client.post("/account/2fa/totp/deactivate/")
    assert not Authenticator.objects.filter(user=resident, type="totp").exists()


def test_staff_must_verify_their_email_address_to_sign_in(client, officer):
    EmailAddress.objects.filter(user=officer).update(verified=False)
    response = client.post(
        "/account/login/?next=/admin/",
        {"login": officer.email, "password": PASSWORD},
    )
    assert response["Location"] == "/account/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert mail.outbox[-1].to == [officer.email]


def test_staff_reset_passwords_through_allauth_with_its_limit(client, officer):
    statuses = [
        client.post("/account/password/reset/", {"email": officer.email}).status_code
        for _ in range(7)
    ]
    assert len([m for m in mail.outbox if m.to == [officer.email]]) == 5
    assert statuses[-1] == 429
    assert client.get("/admin/password_reset/").status_code == 404


def test_the_admin_account_page_has_no_password_or_email_form(client, officer):
    with_two_factor(officer)
    client.force_login(officer)
    html = client.get("/admin/account/").content.decode()
    assert 'type="password"' not in html
    assert 'name="name_email-email"' not in html
