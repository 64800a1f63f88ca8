"""No ``next`` (or other "go back to") parameter anywhere sends a browser off the
site: each is tried with the usual open-redirect tricks, and the code is checked
for any such parameter read outside ``frontend.redirects``."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.test import Client

import pytest

from tests.factories.home import AlertBannerFactory
from tests.myaccount.factories import PASSWORD, ResidentFactory, with_two_factor

pytestmark = pytest.mark.django_db

HOSTILE = [
    "//evil.example",
    "https://evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
    "http:/\\evil.example",
    "\t//evil.example",
]
APPS = ["cms", "frontend", "personalisation", "home", "services", "search", "myaccount"]


def off_site(location: str) -> bool:
    """Would a browser leave the site (or run script) following ``location``, or a
    ``next`` inside it?"""
    targets = [location] + parse_qs(urlsplit(location).query).get("next", [])
    for target in targets:
        stripped = target.strip()
        if (
            "evil.example" in target
            or stripped.lower().startswith("javascript:")
            or not stripped.startswith("/")
            or stripped.startswith(("//", "/\\"))
        ):
            return True
    return False


@pytest.fixture
def staff(django_user_model, home_page):
    user = django_user_model.objects.create_superuser(
        "root", "root@guildhall.example", PASSWORD
    )
    with_two_factor(user)
    return user


def every_next_parameter(staff):
    """(description, how to send it) for each place a request names where to go
    next; ``send(client, hostile)`` returns the response."""
    alert = AlertBannerFactory()

    def as_staff(client):
        client.force_login(staff)
        return client

    return [
        (
            "hide an alert",
            lambda c, n: c.post(f"/alerts/{alert.pk}/hide/", {"next": n}),
        ),
        (
            "cookie banner",
            lambda c, n: c.post(
                "/cookies/answer/",
                {"cookies": "accept", "next": n},
                HTTP_ORIGIN="http://testserver",
            ),
        ),
        (
            "cookie settings",
            lambda c, n: c.post("/cookies/", {"personalisation": "no", "next": n}),
        ),
        (
            "admin bulk assign, nothing chosen",
            lambda c, n: as_staff(c).post("/admin/cases/assign/", {"next": n}),
        ),
        ("Wagtail admin sign-in", lambda c, n: c.get("/admin/login/", {"next": n})),
        ("Wagtail front-end sign-in", lambda c, n: c.get("/_util/login/", {"next": n})),
        (
            "allauth sign-in",
            lambda c, n: c.post(
                "/account/login/?" + f"next={n}",
                {"login": ResidentFactory().email, "password": PASSWORD},
            ),
        ),
        (
            "allauth sign-out",
            lambda c, n: as_staff(c).post("/account/logout/", {"next": n}),
        ),
    ]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_no_next_parameter_leaves_the_site(staff, hostile):
    escaped = []
    for name, send in every_next_parameter(staff):
        response = send(Client(), hostile)
        assert response.status_code == 302, (name, response.status_code)
        if off_site(response["Location"]):
            escaped.append((name, response["Location"]))
    assert escaped == []


def test_a_next_on_this_site_is_kept(staff):
    assert (
        Client().post("/alerts/1/hide/", {"next": "/bins/?x=1"})["Location"]
        == "/bins/?x=1"
    )
    client = Client()
    client.force_login(staff)
    response = client.post("/admin/cases/assign/", {"next": "/admin/cases/?status=all"})
    assert response["Location"] == "/admin/cases/?status=all"
    # Somewhere else on the site is not where bulk assign returns to.
    response = client.post("/admin/cases/assign/", {"next": "/admin/pages/"})
    assert response["Location"] == "/admin/cases/"


def test_the_cookie_page_never_prints_a_hostile_next_into_its_form(home_page):
    """The settings form carries a ``next`` only when it is on this site (the
    banner's own ``next`` is the address of the page it is on)."""
    for hostile in HOSTILE:
        html = Client().get("/cookies/", {"next": hostile}).content.decode()
        values = re.findall(r'name="next" value="([^"]*)"', html)
        assert values  # the banner's, at least
        for value in values:
            assert value.startswith("/cookies/"), value


READS_A_TARGET = re.compile(
    r"""(?:GET|POST|REQUEST|query_params|data)\s*(?:\.get\(|\[)\s*["']"""
    r"""(?:next|return|return_to|return_url|redirect|redirect_to|redirect_url|back|url)["']"""
)
REDIRECTS_TO_REQUEST_DATA = re.compile(
    r"(?:redirect|HttpResponseRedirect)\(\s*request\.(?:GET|POST|META|headers)"
)


def test_every_next_parameter_is_read_through_the_one_helper():
    """A new view that reads a ``next`` itself would not be in the list above:
    the code may read one only in ``frontend/redirects.py``."""
    root = Path(settings.BASE_DIR)
    offenders = []
    for app in APPS:
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts or path.name == "redirects.py":
                continue
            text = path.read_text()
            for pattern in (READS_A_TARGET, REDIRECTS_TO_REQUEST_DATA):
                for found in pattern.finditer(text):
                    offenders.append(f"{path.relative_to(root)}: {found.group(0)}")
    assert offenders == []
