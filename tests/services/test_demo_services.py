"""The demo offers no placeholder: every start button, call to action and "Contact us
online" link goes to a page of the site itself, and the services behind them are
real form services, each with its own service definition."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.core.management import call_command

from wagtail.models import Page, Site

import pytest

from services.demo_forms import load_specs
from services.models import ServiceDefinition, ServiceLandingPage, ServicePage

pytestmark = pytest.mark.django_db

# National services a council has to send residents to, because the service is run
# there for every council: GOV.UK (Blue Badge, Tell Us Once), the Planning Portal
# (planning applications) and one.network (roadworks on a map).
NATIONAL_SERVICES = {"www.gov.uk", "www.planningportal.co.uk", "one.network"}


class OfferLinks(HTMLParser):
    """Where a page's buttons (start buttons, calls to action) and its "Contact us
    online" links go."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._open: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            attrs = dict(attrs)
            self._open = attrs.get("href") or ""
            self._text = ""
            if attrs.get("role") == "button":
                self.links.append(("button", self._open))

    def handle_data(self, data):
        if self._open is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "a" and self._open is not None:
            if self._text.strip() == "Contact us online":
                self.links.append(("contact form", self._open))
            self._open = None


def crawl() -> list[tuple[str, str, str]]:
    """(page URL, kind of link, where it goes) for every live page of both sites."""
    from django.test import Client

    client = Client()
    found = []
    for site in Site.objects.all():
        for page in Page.objects.live().descendant_of(site.root_page, inclusive=True):
            url = page.get_url()
            host = site.hostname
            response = client.get(urlsplit(url).path, HTTP_HOST=f"{host}:{site.port}")
            if response.status_code == 302:  # a signed-in page (My Account)
                assert "/login/" in response["Location"], url
                continue
            assert response.status_code == 200, url
            parser = OfferLinks()
            parser.feed(response.content.decode())
            found += [(url, kind, href) for kind, href in parser.links]
    return found


def test_every_offer_in_the_demo_goes_to_the_site_itself(client):
    call_command("load_demo", "--no-index", verbosity=0)
    own_hosts = {site.hostname for site in Site.objects.all()}

    offers = crawl()

    assert len(offers) > 40  # the crawl saw the buttons and contact links
    outside = [
        (page, kind, href)
        for page, kind, href in offers
        if (host := urlsplit(href).hostname)
        and host not in own_hosts
        and host not in NATIONAL_SERVICES
    ]
    assert outside == []
    contact_links = {href for _page, kind, href in offers if kind == "contact form"}
    assert len(contact_links) == 10  # one online contact form per service area


def test_each_demo_form_service_has_its_own_definition_on_its_page(client):
    call_command("load_demo", "--no-index", verbosity=0)
    _teams, specs = load_specs()
    services = {}
    for spec in specs:
        service = ServiceDefinition.objects.get(name=spec["name"])
        assert service.reference_prefix == spec["prefix"]
        services[service.pk] = spec
    forms = {
        block.value["service"].pk: page
        for page in ServicePage.objects.live()
        for block in page.body
        if block.block_type in ("form_service", "councillor_enquiry")
    }
    assert set(services) <= set(forms)
    assert len(services) >= 25
    assert len({s.reference_prefix for s in ServiceDefinition.objects.all()}) == (
        ServiceDefinition.objects.count()
    )
    # Every service area has at least one form service.
    areas = {page.get_parent().pk for page in forms.values()}
    landing_pages = ServiceLandingPage.objects.live()
    assert set(landing_pages.values_list("pk", flat=True)) <= areas
    # Where the form is on the page, the page has no start link elsewhere.
    assert not [page.title for page in forms.values() if page.start]
