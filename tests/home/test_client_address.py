"""The client's address behind proxies: what the trusted proxy saw, never what the
client wrote into X-Forwarded-For, for our rate limits and allauth's alike."""

from django.test import RequestFactory

import pytest
from allauth.account.adapter import get_adapter

from home.platform.clients import client_address
from home.platform.ratelimit import allow

PROXY = "10.0.0.5"  # the last proxy: the connection's own address


def request_from(forwarded=None, remote=PROXY):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUST_X_FORWARDED_FOR = False
    assert client_address(request_from("203.0.113.9")) == PROXY


@pytest.mark.parametrize(
    ("forwarded", "seen"),
    [
        ("203.0.113.9", "203.0.113.9"),  # an honest client
        ("6.6.6.6, 203.0.113.9", "203.0.113.9"),  # a spoofed first entry
        ("6.6.6.6, 7.7.7.7 ,203.0.113.9", "203.0.113.9"),
        ("2001:db8::1", "2001:db8::1"),
    ],
)
def test_behind_one_proxy_the_address_it_added_is_used(settings, forwarded, seen):
    settings.TRUST_X_FORWARDED_FOR = True
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request_from(forwarded)) == seen


def test_behind_a_cdn_and_a_proxy_the_address_the_cdn_saw_is_used(settings):
    settings.TRUST_X_FORWARDED_FOR = True
    settings.TRUSTED_PROXY_COUNT = 2
    # client -> CDN (adds the client) -> nginx (adds the CDN edge) -> the site
    assert client_address(request_from("6.6.6.6, 203.0.113.9, 198.51.100.7")) == (
        "203.0.113.9"
    )


@pytest.mark.parametrize(
    ("forwarded", "why"),
    [
        (None, "no header"),
        ("", "an empty header"),
        ("not-an-address", "an entry no proxy would write"),
        ("6.6.6.6, <script>", "an entry no proxy would write"),
    ],
)
def test_a_header_the_proxy_did_not_write_falls_back_to_the_connection(
    settings, forwarded, why
):
    settings.TRUST_X_FORWARDED_FOR = True
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request_from(forwarded)) == PROXY, why


def test_fewer_entries_than_trusted_proxies_falls_back_to_the_connection(settings):
    settings.TRUST_X_FORWARDED_FOR = True
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request_from("6.6.6.6")) == PROXY


def test_a_client_cannot_escape_the_rate_limit_by_rewriting_the_header(settings):
    settings.TRUST_X_FORWARDED_FOR = True
    settings.TRUSTED_PROXY_COUNT = 1

    def attempt(spoofed, client="203.0.113.9"):
        request = request_from(f"{spoofed}, {client}")
        return allow(request, scope="test-spoof", limit=2, window=60)

    assert [attempt(f"6.6.6.{n}") for n in range(3)] == [True, True, False]
    # Another resident behind the same proxy has a limit of their own.
    assert attempt("6.6.6.6", client="203.0.113.10")


def test_allauth_sees_the_same_client_address(settings):
    settings.TRUST_X_FORWARDED_FOR = True
    settings.TRUSTED_PROXY_COUNT = 1
    request = request_from("6.6.6.6, 203.0.113.9")
    assert get_adapter(request).get_client_ip(request) == "203.0.113.9"


@pytest.mark.django_db
def test_allauth_limits_failed_sign_ins_per_real_client_whatever_the_header_says(
    client, settings, home_page
):
    settings.TRUST_X_FORWARDED_FOR = True
    settings.TRUSTED_PROXY_COUNT = 1
    too_many = "Too many failed login attempts. Try again later."

    def sign_in(n, real="203.0.113.9"):
        return client.post(
            "/account/login/",
            # A different account each time: only the per-address limit applies.
            {"login": f"nobody{n}@example.com", "password": "wrong-password-1"},
            HTTP_X_FORWARDED_FOR=f"6.6.{n}.6, {real}",
            REMOTE_ADDR=PROXY,
        ).content.decode()

    pages = [sign_in(n) for n in range(11)]  # "login_failed": 10 a minute per address
    assert not any(too_many in page for page in pages[:10])
    assert too_many in pages[10]
    assert too_many not in sign_in(11, real="203.0.113.10")
