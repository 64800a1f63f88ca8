"""Sign-up, email verification, sign-in, password reset, rate limits and MFA with
django-allauth, through the real views and the locmem email backend."""

import re

from django.contrib.auth import get_user_model
from django.core import mail

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)

from tests.myaccount.factories import PASSWORD, ResidentFactory

pytestmark = pytest.mark.django_db


def totp_value(secret: str) -> str:
    """The code an authenticator app would show now."""
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def test_signup_sends_a_verification_email_and_blocks_sign_in_until_verified(
    client, home_page
):
    response = client.post(
        "/account/signup/",
        {
            "email": "new.person@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/account/confirm-email/"
    assert len(mail.outbox) == 1
    assert "new.person@example.com" in mail.outbox[0].to
    assert not EmailAddress.objects.get(email="new.person@example.com").verified

    # Not verified: signing in sends the resident back to "check your email".
    client.logout()
    response = client.post(
        "/account/login/", {"login": "new.person@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/account/confirm-email/"
    assert "_auth_user_id" not in client.session

    confirm_url = _link(mail.outbox[-1])
    page = client.get(confirm_url)
    assert page.status_code == 200
    assert b"Confirm" in page.content
    response = client.post(confirm_url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new.person@example.com").verified
    # ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION signs the resident in.
    assert client.get("/account/profile/").status_code == 200


def test_signup_with_a_registered_email_looks_the_same_and_emails_the_owner(
    client, resident
):
    response = client.post(
        "/account/signup/",
        {"email": resident.email, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/account/confirm-email/"
    assert get_user_model().objects.filter(email__iexact=resident.email).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [resident.email]


def test_signup_errors_are_shown_in_a_govuk_error_summary(client, home_page):
    response = client.post(
        "/account/signup/",
        {"email": "not-an-email", "password1": "short", "password2": "different"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html
    assert "govuk-form-group--error" in html
    assert "<title>Error:" in html


def test_resident_signs_in_with_email_and_password(client, resident, my_account_page):
    response = client.post(
        "/account/login/", {"login": resident.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    response = client.get("/account/")
    assert response["Location"] == my_account_page.url


def test_wrong_password_gives_one_message_whether_or_not_the_email_exists(
    client, resident
):
    known = client.post(
        "/account/login/", {"login": resident.email, "password": "nope-nope-1"}
    )
    unknown = client.post(
        "/account/login/", {"login": "nobody@example.com", "password": "nope-nope-1"}
    )
    assert known.status_code == unknown.status_code == 200
    message = "The email address and/or password you specified are not correct."
    assert message in known.content.decode()
    assert message in unknown.content.decode()


def test_failed_sign_ins_are_rate_limited(client, resident):
    too_many = "Too many failed login attempts. Try again later."
    pages = [
        client.post(
            "/account/login/", {"login": resident.email, "password": f"wrong-{i}-pw"}
        ).content.decode()
        for i in range(6)
    ]
    assert not any(too_many in page for page in pages[:5])
    assert too_many in pages[5]
    # Even the right password is refused while the limit lasts.
    response = client.post(
        "/account/login/", {"login": resident.email, "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert too_many in response.content.decode()


def test_password_reset_does_not_reveal_whether_an_account_exists(client, resident):
    known = client.post("/account/password/reset/", {"email": resident.email})
    unknown = client.post("/account/password/reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/account/password/reset/done/"
    # The owner gets a reset link; the unknown address gets a "no account" note.
    assert [m.to for m in mail.outbox] == [[resident.email], ["nobody@example.com"]]
    assert "/account/password/reset/key/" in mail.outbox[0].body
    assert "/account/password/reset/key/" not in mail.outbox[1].body


def test_password_reset_sets_a_new_password(client, resident):
    client.post("/account/password/reset/", {"email": resident.email})
    url = _link(mail.outbox[0])
    response = client.get(url)
    assert response.status_code == 302  # allauth moves the key into the session
    form_url = response["Location"]
    new_password = "a-Brand-new-pw-2027"
    response = client.post(
        form_url, {"password1": new_password, "password2": new_password}
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.check_password(new_password)


def test_password_reset_requests_are_rate_limited(client, resident):
    statuses = [
        client.post("/account/password/reset/", {"email": resident.email}).status_code
        for _ in range(7)
    ]
    assert 429 in statuses


def test_mfa_totp_with_recovery_codes(client, resident):
    client.force_login(resident)
    response = client.get("/account/2fa/totp/activate/")
    # Turning MFA on asks for the password again first.
    assert response["Location"].startswith("/account/reauthenticate/")
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    response = client.get("/account/2fa/totp/activate/")
    assert response.status_code == 200
    secret = response.context["form"].secret
    response = client.post("/account/2fa/totp/activate/", {"code": totp_value(secret)})
    assert response.status_code == 302
    # allauth offers recovery codes straight after TOTP is turned on.
    codes_page = client.get("/account/2fa/recovery-codes/")
    assert codes_page.status_code == 200
    codes = codes_page.context["unused_codes"]
    assert len(codes) >= 10
    client.logout()

    response = client.post(
        "/account/login/", {"login": resident.email, "password": PASSWORD}
    )
    assert response["Location"] == "/account/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    wrong = client.post("/account/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert "govuk-error-summary" in wrong.content.decode()
    response = client.post("/account/2fa/authenticate/", {"code": codes[0]})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(resident.pk)


def test_unverified_social_free_account_cannot_open_my_account(client, home_page):
    user = ResidentFactory(verified=False)
    response = client.post(
        "/account/login/", {"login": user.email, "password": PASSWORD}
    )
    assert response["Location"] == "/account/confirm-email/"
    assert client.get("/account/profile/").status_code == 302
