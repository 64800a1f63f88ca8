"""The demo council: built from its data files, the same on every run, and loud
about a page another app expects but the data does not have."""

import datetime
import textwrap

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from wagtail.models import Page, Revision

import pytest

from home.demo import builders
from home.demo.builders import DemoBuilder, DemoConfig, DemoPageMissing
from home.demo.loader import DemoDataError, load
from personalisation.demo import NOTICE_TITLE


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if not model._meta.proxy
    }


@pytest.mark.django_db
def test_loading_the_demo_again_changes_nothing(client):
    call_command("load_demo", "--no-index", verbosity=0)
    counts = row_counts()
    last_revision = Revision.objects.order_by("-pk").values_list("pk", flat=True)[0]
    published = dict(Page.objects.values_list("pk", "last_published_at"))

    call_command("load_demo", "--no-index", verbosity=0)

    assert row_counts() == counts
    assert not Revision.objects.filter(pk__gt=last_revision).exists()
    assert dict(Page.objects.values_list("pk", "last_published_at")) == published


@pytest.mark.django_db
def test_the_demo_builds_both_sites_from_the_data_files_with_every_apps_part(client):
    call_command("load_demo", "--no-index", verbosity=0)
    council = Page.objects.get(depth=2, slug="home").specific
    parks = Page.objects.get(depth=2, slug="guildhall-country-parks").specific
    titles = set(
        Page.objects.descendant_of(council).live().values_list("title", flat=True)
    )
    assert {
        "Bins, recycling and waste",
        "Council tax: a guide for new residents",
        "What to do when someone dies",
        "Accessibility statement",
        "Your account",  # My Account's part
    } <= titles
    assert "Ravensmoor Country Park" in set(
        Page.objects.descendant_of(parks).values_list("title", flat=True)
    )
    # Services put its journeys on their pages, in place of the start link.
    missed_bin = Page.objects.get(slug="report-a-missed-bin-collection").specific
    assert [b.block_type for b in missed_bin.body][-1] == "missed_bin"
    assert not missed_bin.start
    # The accessibility statement was filled in for each site.
    statement = Page.objects.child_of(parks).get(slug="accessibility-statement")
    text = str(statement.specific.body)
    assert "Guildhall Country Parks website at parks.guildhall.example" in text
    reviewed = statement.specific.last_reviewed
    assert reviewed == datetime.date.today() - datetime.timedelta(days=60)
    assert f"last reviewed on {reviewed.day} {reviewed:%B %Y}" in text


@pytest.mark.django_db
def test_a_northfield_resident_sees_the_bin_day_change_on_the_demo_bins_page(client):
    from myaccount.models import Profile

    call_command("load_demo", "--no-index", verbosity=0)
    bins = Page.objects.get(slug="bins-recycling-and-waste").specific
    assert bins.body[0].block_type == "personalised"
    grace = Profile.objects.get(postcode="GH2 3CC").user
    client.force_login(grace)
    assert NOTICE_TITLE in client.get(bins.url).content.decode()
    amira = Profile.objects.get(postcode="GH1 1AA").user
    client.force_login(amira)
    assert NOTICE_TITLE not in client.get(bins.url).content.decode()


def write(directory, name, text):
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))


COUNCIL = """
    users:
    - {username: admin, first_name: A, last_name: B, email: a@example.com,
       superuser: true, groups: [], password_env: DEMO_ADMIN_PASSWORD,
       password_default: admin-password-1}
    review_dates: [2027-01-31]
    contacts: {}
    settings: {organisation_name: Tiny Council}
    alert: {title: Hello, message: <p>Hello</p>, severity: minor}
    home:
      model: home.HomePage
      slug: home
      title: Tiny Council
      children:
      - {include: pages.yaml}
"""
PARKS = """
    settings: {organisation_name: Tiny Parks}
    home: {model: home.HomePage, key: parks-home, slug: parks, title: Tiny Parks}
"""


@pytest.fixture
def tiny_demo(tmp_path):
    write(tmp_path, "council.yaml", COUNCIL)
    write(tmp_path, "parks.yaml", PARKS)
    write(
        tmp_path,
        "pages.yaml",
        """
        - model: services.ServiceLandingPage
          key: bins
          title: Bins
          children:
          - model: services.ServicePage
            title: Apply for a bin
            start: [{page_link: bin-rules}]
            body:
            - {para: <p>Ask for a new bin.</p>}
            - {start_button: {page_link: bin-rules, text: Read the rules first}}
          - {model: home.StandardPage, key: bin-rules, title: Bin rules}
        """,
    )
    return tmp_path


@pytest.mark.django_db
def test_a_page_another_app_expects_stops_the_load_naming_it(tiny_demo, monkeypatch):
    # The tiny council has a "bins" page, but no "report-a-missed-bin-collection"
    # page for the services app's journey.
    monkeypatch.setattr(builders, "load", lambda: load(tiny_demo))
    with pytest.raises(CommandError) as raised:
        call_command("load_demo", "--no-index", verbosity=0)
    message = str(raised.value)
    assert "'report-a-missed-bin-collection'" in message
    assert "services" in message
    assert not Page.objects.filter(slug="apply-for-a-bin").exists()  # rolled back


@pytest.mark.django_db
def test_without_other_apps_the_tiny_demo_builds_with_start_buttons_to_pages(
    tiny_demo, monkeypatch
):
    monkeypatch.setattr(builders.demo_pages_ready, "receivers", [])
    monkeypatch.setattr(builders.demo_content_loaded, "receivers", [])
    builder = DemoBuilder(DemoConfig(), log=lambda *a: None, data=load(tiny_demo))
    builder.build()
    rules = builder.page_for("bin-rules")
    service = builder.page_for("apply-for-a-bin").specific
    assert [link.value["page"].pk for link in service.start] == [rules.pk]
    button = service.body[1]
    assert button.block_type == "call_to_action" and button.value["start_button"]
    assert button.value["link"]["page"].pk == rules.pk
    with pytest.raises(DemoPageMissing, match="'no-such-page'.*search"):
        builder.page_for("no-such-page", wanted_by="search")


@pytest.mark.parametrize(
    ("pages", "complaint"),
    [
        ("- {model: home.StandardPage, title: A, body: [{para: 1}]}", "expected text"),
        ("- {model: home.StandardPage, title: A, body: [{quote: x}]}", "unknown block"),
        (
            "- {model: home.StandardPage, title: A, body: [{page_link: b}]}",
            "a link needs a block around it",
        ),
        ("- {model: home.StandardPage, title: A, colour: red}", "has no field"),
        ("- {model: home.NoSuchPage, title: A}", "no page model"),
        (
            "- {model: home.StandardPage, title: A, body: [{include: gone.yaml}]}",
            "no such",
        ),
        (
            "- {model: home.StandardPage, title: A, body: [{details: {summary: S}}]}",
            "missing ['html']",
        ),
    ],
)
@pytest.mark.django_db
def test_data_the_loader_cannot_read_is_refused_saying_where(
    tmp_path, pages, complaint
):
    write(tmp_path, "council.yaml", COUNCIL)
    write(tmp_path, "parks.yaml", PARKS)
    write(tmp_path, "pages.yaml", pages)
    with pytest.raises(DemoDataError, match="pages.yaml|council.yaml") as raised:
        load(tmp_path)
    assert complaint in str(raised.value)


@pytest.mark.django_db
def test_generated_pages_for_benchmarks_are_added_once(client):
    call_command("load_demo", "--no-index", verbosity=0)
    call_command("generate_pages", "--count", "3", "--no-index", verbosity=0)
    call_command("generate_pages", "--count", "3", "--no-index", verbosity=0)
    generated = Page.objects.filter(slug__startswith="generated-")
    assert generated.count() == 3
    page = generated.first().specific
    assert [b.block_type for b in page.body] == ["heading", "paragraph", "paragraph"]
    assert client.get(page.url).status_code == 200
