"""The street gazetteer, the map step's server side, nearest streets and wards."""

import re

from django.core.management import call_command
from django.urls import reverse

import pytest

from personalisation.models import Ward
from personalisation.wards import DEMO_FILE as WARDS_FILE
from personalisation.wards import load_wards
from personalisation.wards import read_csv as read_wards
from services import actions, streets
from services.blocks.transactions import STEP_FIELD, TRANSACTION_FIELD
from services.models import Case, Street
from tests.factories.services import ServiceLandingPageFactory, ServicePageFactory
from tests.services.conftest import block_id, journey

pytestmark = pytest.mark.django_db

# Near the demo council's Market Street (services/data/streets.csv).
MARKET_PIN = ("51.238000", "-0.566000")


@pytest.fixture
def gazetteer(db):
    load_wards(read_wards(WARDS_FILE))
    call_command("load_streets", stdout=None)
    return streets.all_streets()


@pytest.fixture
def street_page(home_page, street_service):
    landing = ServiceLandingPageFactory(parent=home_page, title="Roads", slug="roads")
    page = ServicePageFactory(
        parent=landing, title="Report a street problem", slug="street", body=[]
    )
    page.body = [("street_problem", {"service": street_service, "heading": ""})]
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def post(client, page, step, **data):
    return client.post(
        journey(page),
        {TRANSACTION_FIELD: block_id(page, "street_problem"), STEP_FIELD: step, **data},
    )


def submit(client, page, **contact):
    post(client, page, "description", description="A deep hole")
    post(client, page, "contact", email="guest@example.com", **contact)
    html = client.get(journey(page) + "?step=check").content.decode()
    token = re.search(r'name="token" value="([0-9a-f-]+)"', html).group(1)
    post(client, page, "check", token=token)
    return Case.objects.get()


def test_the_demo_gazetteer_loads_about_forty_streets_with_wards(gazetteer):
    assert 35 <= Street.objects.count() <= 50
    assert not Street.objects.filter(ward__isnull=True).exists()
    assert set(Ward.objects.values_list("name", flat=True)) >= {
        "Castle",
        "Market",
        "Northfield",
        "Millbrook",
        "Ravensmoor",
        "Southgate",
    }
    # Loading again replaces the table: nothing twice.
    call_command("load_streets", stdout=None)
    assert Street.objects.count() == len(gazetteer)


def test_nearest_streets_to_a_pin_and_to_a_postcode(gazetteer):
    nearest = streets.nearest_to_point(*MARKET_PIN)
    assert len(nearest) == 5
    assert nearest[0].ward_name == "Market"
    by_postcode = streets.nearest_to_postcode("GH4 1AA")
    assert by_postcode and {s.ward_name for s in by_postcode} == {"Ravensmoor"}
    assert streets.nearest_to_postcode("ZZ9 9ZZ") == []


def test_nearest_streets_cost_no_query_once_cached(
    gazetteer, django_assert_num_queries
):
    streets.nearest_to_point(*MARKET_PIN)
    with django_assert_num_queries(0):
        streets.nearest_to_point(*MARKET_PIN)
        streets.get_street(gazetteer[0].pk)


def test_location_step_offers_every_street_in_a_plain_list_and_a_hidden_map(
    client, street_page, gazetteer
):
    post(client, street_page, "category", category="pothole")
    response = client.get(journey(street_page) + "?step=location")
    html = response.content.decode()
    select = re.search(r'<select name="street".*?</select>', html, re.S).group(0)
    assert select.count("<option") == len(gazetteer) + 1
    assert "data-map-alternative" in select
    # The map is only a container until the script runs; tiles come from the setting.
    assert re.search(r"<div class=\"council-map[^>]*data-map hidden", html)
    assert 'data-tile-url="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in html
    assert "frontend/js/street-map.js" in html
    assert "frontend/vendor/leaflet/leaflet.js" in html
    assert "unpkg" not in html and "cdn" not in html.lower()


def test_csp_allows_the_tile_host_only_on_the_map_step(
    client, street_page, gazetteer, settings
):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    category = client.get(street_page.url)
    assert "tiles.example.org" not in category["Content-Security-Policy"]
    post(client, street_page, "category", category="pothole")
    location = client.get(journey(street_page) + "?step=location")
    policy = location["Content-Security-Policy"]
    img_src = re.search(r"img-src ([^;]*)", policy).group(1)
    assert img_src.split() == ["'self'", "data:", "https://tiles.example.org"]
    assert "tiles.example.org" not in re.sub(r"img-src [^;]*", "", policy)
    assert (
        "tiles.example.org"
        not in client.get("/track-a-request/")["Content-Security-Policy"]
    )


@pytest.mark.parametrize(
    "pin,message",
    [
        (("48.85", "2.35"), "outside the council"),
        (("51.2", ""), "map pin was not set properly"),
        (("north", "x"), "map pin was not set properly"),
        (("NaN", "Infinity"), "map pin was not set properly"),
        (("51.2" + "1" * 40, "-0.5"), "map pin was not set properly"),
        # Finite Decimals too large to round to six places.
        (("1e309", "-0.5"), "map pin was not set properly"),
        (("51.2", "1e308"), "map pin was not set properly"),
        (("-1E+400", "-0.5"), "map pin was not set properly"),
    ],
)
def test_malformed_or_outside_pins_get_a_clear_error(
    client, street_page, gazetteer, pin, message
):
    post(client, street_page, "category", category="pothole")
    response = post(client, street_page, "location", latitude=pin[0], longitude=pin[1])
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and message in html


def test_council_bounds_come_from_settings(client, street_page, gazetteer, settings):
    settings.COUNCIL_BOUNDS = [48.0, 2.0, 49.0, 3.0]
    post(client, street_page, "category", category="pothole")
    inside = post(client, street_page, "location", latitude="48.85", longitude="2.35")
    assert inside.status_code == 302


def test_a_pin_leads_to_the_nearest_streets_and_the_case_gets_the_ward(
    client, street_page, gazetteer
):
    post(client, street_page, "category", category="pothole")
    response = post(
        client, street_page, "location", latitude=MARKET_PIN[0], longitude=MARKET_PIN[1]
    )
    assert response.url.endswith("?step=nearest_street")
    html = client.get(response.url).content.decode()
    assert "Which street is nearest?" in html
    assert (
        html.count('name="street" type="radio"') == 6
    )  # five streets and "None of these"
    nearest = streets.nearest_to_point(*MARKET_PIN)[0]
    assert (
        post(client, street_page, "nearest_street", street="999999").status_code == 200
    )
    chosen = post(client, street_page, "nearest_street", street=str(nearest.pk))
    assert chosen.url.endswith("?step=description")
    case = submit(client, street_page)
    assert case.ward.name == "Market"
    assert str(case.latitude) == MARKET_PIN[0]
    assert case.location_description == nearest.name
    assert case.answers["street"] == nearest.name


def test_a_pin_alone_is_enough(client, street_page, gazetteer):
    post(client, street_page, "category", category="graffiti")
    post(client, street_page, "location", latitude="51.221", longitude="-0.569")
    post(client, street_page, "nearest_street", street="none")
    case = submit(client, street_page)
    assert case.ward.name == "Southgate"  # from the street nearest the pin
    assert case.location_description == ""


def test_a_postcode_offers_the_streets_of_its_ward(client, street_page, gazetteer):
    post(client, street_page, "category", category="pothole")
    unknown = post(client, street_page, "location", postcode="ZZ9 9ZZ")
    assert "do not know the streets near that postcode" in unknown.content.decode()
    bad = post(client, street_page, "location", postcode="not a postcode")
    assert "Enter a real postcode" in bad.content.decode()
    response = post(
        client, street_page, "location", postcode="gh3 1aa", landmark="By the mill"
    )
    html = client.get(response.url).content.decode()
    millbrook = [s for s in gazetteer if s.ward_name == "Millbrook"]
    assert all(s.name in html for s in millbrook[:3])
    assert "None of these" not in html  # without a pin a street is needed
    post(client, street_page, "nearest_street", street=str(millbrook[0].pk))
    case = submit(client, street_page)
    assert case.ward.name == "Millbrook" and case.postcode == "GH3 1AA"
    assert case.location_description == f"{millbrook[0].name}, By the mill"


def test_choosing_from_the_list_needs_no_map_and_sets_the_ward(
    client, street_page, gazetteer
):
    street = next(s for s in gazetteer if s.name == "Market Street")
    post(client, street_page, "category", category="pothole")
    nothing = post(client, street_page, "location")
    assert "Select the street where the problem is" in nothing.content.decode()
    forged = post(client, street_page, "location", street="123456789")
    assert "Select a street from the list" in forged.content.decode()
    response = post(
        client, street_page, "location", street=str(street.pk), landmark="Bus stop"
    )
    assert response.url.endswith("?step=description")
    # Going back shows the street still chosen.
    back = client.get(journey(street_page) + "?step=location").content.decode()
    assert f'<option value="{street.pk}" selected>' in back
    case = submit(client, street_page)
    assert case.ward.name == "Market"
    assert case.location_description == "Market Street, Bus stop"


def test_ward_comes_from_the_postcode_for_other_services(bin_service, gazetteer):
    case = actions.open_case(
        service=bin_service,
        answers={},
        guest_email="a@example.com",
        postcode="GH2 4AB",
    )
    assert case.ward.name == "Northfield"


def test_admin_case_list_filters_by_ward(
    client, bin_service, waste_officer, gazetteer, django_assert_max_num_queries
):
    for postcode in ("GH1 2AB", "GH1 2AC", "GH5 1AA"):
        actions.open_case(
            service=bin_service,
            answers={},
            guest_email="g@example.com",
            postcode=postcode,
        )
    client.force_login(waste_officer)
    market = Ward.objects.get(name="Market")
    html = client.get(
        reverse("services_cases:list"), {"status": "", "ward": market.pk}
    ).content.decode()
    assert "2 cases" in html and "GH5 1AA" not in html
    assert '<select name="ward"' in html
    everything = client.get(reverse("services_cases:list")).content.decode()
    assert "3 cases" in everything and "Southgate" in everything
