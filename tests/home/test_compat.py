"""The private parts of Wagtail, Django and django-csp the platform relies on
(``home.platform.compat``): if an upgrade changes one, this fails, not the site."""

from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from wagtail.models import Site

import pytest
from csp.decorators import csp_exempt, csp_replace, csp_update
from csp.exceptions import CSPNonceError

from home.platform.compat import csp, wagtail_sites


@pytest.mark.django_db
def test_the_site_lookup_finds_the_site_by_host_and_port_and_keeps_nothing(
    home_page,
):
    microsite = Site.objects.create(
        hostname="parks.example", port=80, root_page=home_page, site_name="Parks"
    )
    request = RequestFactory().get("/", HTTP_HOST="parks.example")
    assert wagtail_sites.raw_host(request) == "parks.example"
    assert wagtail_sites.look_up_site(request) == microsite
    assert not wagtail_sites.site_known(request)


@pytest.mark.django_db
def test_a_site_given_to_the_request_is_what_wagtail_answers_without_a_query(
    home_page,
):
    request = RequestFactory().get("/", HTTP_HOST="unknown.example")
    given = Site(hostname="given.example", port=80, root_page=home_page)
    wagtail_sites.give_site(request, given)
    assert wagtail_sites.site_known(request)
    with CaptureQueriesContext(connection) as queries:
        assert Site.find_for_request(request) is given
    assert len(queries) == 0


@pytest.mark.django_db
def test_wagtail_keeps_its_own_answer_where_the_adapter_looks(home_page):
    request = RequestFactory().get("/", HTTP_HOST="testserver")
    Site.find_for_request(request)
    assert wagtail_sites.site_known(request)


@pytest.mark.parametrize(
    "decorator",
    [
        csp_update({"img-src": ["https://tiles.example"]}),
        csp_replace({"img-src": ["https://tiles.example"]}),
        csp_exempt(),
        csp_update({"img-src": ["https://tiles.example"]}, REPORT_ONLY=True),
    ],
)
def test_a_response_from_a_decorated_view_is_known_to_have_its_own_policy(decorator):
    view = decorator(lambda request: HttpResponse("ok"))
    assert csp.has_own_policy(view(RequestFactory().get("/")))
    assert not csp.has_own_policy(HttpResponse("plain"))


def test_the_nonce_is_found_on_the_request_once_used_and_refused_after_the_header():
    middleware = csp.CSPMiddleware(lambda request: HttpResponse("ok"))
    request = RequestFactory().get("/")
    middleware.process_request(request)
    assert csp.request_nonce(request) is None  # nothing asked for one yet
    nonce = str(request.csp_nonce)
    assert csp.request_nonce(request) == nonce
    assert f"'nonce-{nonce}'" in csp.build_policy(nonce=nonce)

    late = RequestFactory().get("/")
    middleware.process_request(late)
    csp.refuse_late_nonce(middleware, late)
    with pytest.raises(CSPNonceError):
        str(late.csp_nonce)


def test_policy_parts_are_what_the_middleware_hook_returns():
    middleware = csp.CSPMiddleware(lambda request: HttpResponse("ok"))
    request = RequestFactory().get("/")
    middleware.process_request(request)
    parts = middleware.get_policy_parts(request, HttpResponse("ok"))
    assert isinstance(parts, csp.PolicyParts)
    assert {"config", "update", "replace", "nonce"} <= set(vars(parts))
    assert csp.HEADER == "Content-Security-Policy"
    assert csp.HEADER_REPORT_ONLY == "Content-Security-Policy-Report-Only"
