"""Search finds transactions by what residents call them: a street problem's
categories, and each service's name and synonyms, are indexed with the page that
offers it, on the database backend and in the Elasticsearch document alike."""

from django.contrib.auth.models import Group

import pytest
from bs4 import BeautifulSoup

from search.indexing import page_source
from services.models import ServiceDefinition
from tests.factories.services import ServiceLandingPageFactory, ServicePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(home_page):
    team = Group.objects.create(name="Streets")
    streets = ServiceDefinition.objects.create(
        name="Street problem", reference_prefix="STR", case_type="Street problem",
        team=team,
    )  # fmt: skip
    bins = ServiceDefinition.objects.create(
        name="New or replacement bin", reference_prefix="NBIN",
        case_type="Bin delivery", team=team, synonyms="wheelie bin, broken bin",
    )  # fmt: skip
    landing = ServiceLandingPageFactory(parent=home_page, title="Streets", slug="s")
    street = ServicePageFactory(
        parent=landing,
        title="Report a problem on a road",
        slug="report-road",
        body=[("street_problem", {"service": streets, "heading": ""})],
    )
    order = ServicePageFactory(
        parent=landing,
        title="Order a container",
        slug="order",
        body=[
            (
                "form_service",
                {
                    "service": bins,
                    "heading": "",
                    "intro": "",
                    "questions": [
                        ("text", {"label": "Which house?", "hint": "",
                                  "required": True, "long_answer": False,
                                  "max_length": 50}),
                    ],
                },
            )
        ],
    )  # fmt: skip
    for page in (street, order):
        page.save_revision().publish()
    return {"street": street, "order": order}


def titles(client, query) -> list[str]:
    response = client.get("/search/", {"q": query})
    page = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in page.select(".council-search-results a")]


@pytest.mark.parametrize(
    "query", ["fly tipping", "graffiti", "dog fouling", "street light", "lamp post"]
)
def test_street_problem_categories_find_the_page_with_the_journey(client, pages, query):
    assert "Report a problem on a road" in titles(client, query)


def test_a_forms_service_name_and_synonyms_find_its_page(client, pages):
    assert "Order a container" in titles(client, "wheelie bin")
    assert "Order a container" in titles(client, "replacement bin")


def test_the_elasticsearch_document_carries_the_same_words(pages):
    street = page_source(pages["street"].specific)["body"].lower()
    order = page_source(pages["order"].specific)["body"].lower()
    assert "fly tipping" in street and "dog fouling" in street
    assert "wheelie bin" in order and "new or replacement bin" in order


def test_changing_a_services_synonyms_reindexes_the_pages_offering_it(
    client, pages, django_capture_on_commit_callbacks
):
    """Editors change a service's words in its definition (a snippet): the pages
    whose journey offers it are found by the new words at once, without being
    published again, and no longer by the words removed."""
    assert "Order a container" not in titles(client, "skip hire")
    bins = ServiceDefinition.objects.get(reference_prefix="NBIN")
    bins.synonyms = "skip hire"
    with django_capture_on_commit_callbacks(execute=True):  # the edit is committed
        bins.save()
    assert "Order a container" in titles(client, "skip hire")
    bins.synonyms = "dumped sofa"
    with django_capture_on_commit_callbacks(execute=True):
        bins.save()
    assert "Order a container" in titles(client, "dumped sofa")
    assert "Order a container" not in titles(client, "skip hire")
    # Pages offering another service are left alone.
    assert "Report a problem on a road" not in titles(client, "skip hire")
