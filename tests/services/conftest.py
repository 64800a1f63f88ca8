"""Fixtures for case tests: teams, service definitions, residents and a page
carrying the missed-bin journey."""

from django.contrib.auth.models import Group

import pytest

from services import actions
from services.models import PartnerGroup, ServiceDefinition
from tests.factories.services import ServiceLandingPageFactory, ServicePageFactory
from tests.myaccount.factories import with_two_factor
from tests.services.api_clients import make_client


@pytest.fixture
def private_files(tmp_path, settings):
    """Media and the private upload storage in folders of the test's own (the real
    storage class); returns the two folders."""
    from django.core.files.storage import storages

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "case_uploads": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads")},
        },
    }
    storages._storages.pop("case_uploads", None)
    yield [tmp_path / "media", tmp_path / "uploads"]
    storages._storages.pop("case_uploads", None)


@pytest.fixture
def waste_team(db):
    return Group.objects.create(name="Waste team")


@pytest.fixture
def highways_team(db):
    return Group.objects.create(name="Highways team")


@pytest.fixture
def contractor(db):
    group = Group.objects.create(name="Roadworks Ltd")
    PartnerGroup.objects.create(group=group, organisation_name="Roadworks Ltd")
    return group


@pytest.fixture
def bin_service(waste_team):
    return ServiceDefinition.objects.create(
        name="Missed bin collection",
        reference_prefix="BIN",
        case_type="Missed bin",
        team=waste_team,
        sla_days=2,
        guest_allowed=True,
        canned_responses=[
            ("response", {"title": "Crew returning", "text": "The crew will return."})
        ],
    )


@pytest.fixture
def street_service(highways_team):
    return ServiceDefinition.objects.create(
        name="Street problem",
        reference_prefix="STR",
        case_type="Street problem",
        team=highways_team,
        sla_days=10,
        guest_allowed=True,
    )


@pytest.fixture
def resident(django_user_model):
    return django_user_model.objects.create_user(
        "resident", "resident@example.com", "pw-resident-123"
    )


@pytest.fixture
def other_resident(django_user_model):
    return django_user_model.objects.create_user(
        "other", "other@example.com", "pw-other-123"
    )


@pytest.fixture
def waste_officer(django_user_model, waste_team):
    user = django_user_model.objects.create_user(
        "waste", "waste@example.com", "pw-waste-123"
    )
    user.groups.add(waste_team, Group.objects.get(name="Editors"))
    with_two_factor(user)
    return user


@pytest.fixture
def highways_officer(django_user_model, highways_team):
    user = django_user_model.objects.create_user(
        "roads", "roads@example.com", "pw-roads-123"
    )
    user.groups.add(highways_team, Group.objects.get(name="Editors"))
    with_two_factor(user)
    return user


@pytest.fixture
def missed_bin_page(home_page, bin_service):
    landing = ServiceLandingPageFactory(parent=home_page, title="Bins", slug="bins")
    page = ServicePageFactory(
        parent=landing,
        title="Report a missed bin collection",
        slug="report-missed-bin",
        body=[],
    )
    page.body = [
        ("paragraph", "<p>Report a bin we did not collect.</p>"),
        ("missed_bin", {"service": bin_service, "heading": ""}),
    ]
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def block_id(page, block_type="missed_bin") -> str:
    return next(b.id for b in page.body if b.block_type == block_type)


def journey(page, block_type=None) -> str:
    """Where the page's journey runs (its first transaction's, or the one of
    ``block_type``): its own pages under the service page."""
    child = next(
        c
        for c in page.transaction_blocks()
        if block_type is None or c.block_type == block_type
    )
    return page.journey_url(child.id)


@pytest.fixture
def street_page(home_page, street_service):
    """A page carrying the street-problem journey."""
    landing = ServiceLandingPageFactory(parent=home_page, title="Roads", slug="roads")
    page = ServicePageFactory(
        parent=landing, title="Report a street problem", slug="street", body=[]
    )
    page.body = [("street_problem", {"service": street_service, "heading": ""})]
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def crew(bin_service):
    """The waste crew's system: a case API client of the missed-bin service."""
    return make_client("Waste crew system", [bin_service])


@pytest.fixture
def auth(crew):
    return {"HTTP_AUTHORIZATION": f"Bearer {crew[1]}"}


@pytest.fixture
def bin_case(bin_service, resident):
    return actions.open_case(service=bin_service, answers={}, resident=resident)


# Hand-counted cases for the report tests.
from tests.services.report_fixtures import reported_cases, ward  # noqa: E402, F401
