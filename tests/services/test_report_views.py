"""Reports → Services and Channel shift: hand-counted figures, the CSV equal to the
table, filters in the URL, permission, the chart, and constant query counts."""

import csv
import datetime
import io
from decimal import Decimal
from html.parser import HTMLParser

from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from home.colours import contrast_ratio
from services.enums import Channel, InteractionChannel, InteractionOutcome
from services.models import (
    ChannelCosts,
    Interaction,
    InteractionReason,
    ServiceDayStats,
)
from services.reports import charts, queries
from services.reports.rollup import rollup_range
from tests.myaccount.factories import with_two_factor
from tests.services.report_fixtures import D1, D2, D3, at, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_viewer(django_user_model):
    group = Group.objects.create(name="Service managers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_management_reports"),
    )
    user = django_user_model.objects.create_user("manager", "m@example.com", "pw")
    user.groups.add(group)
    with_two_factor(user)
    return user


@pytest.fixture
def rolled_up(reported_cases):
    rollup_range(D1, D3)
    return reported_cases


def period(**extra):
    return {"start": D1.isoformat(), "end": D3.isoformat(), **extra}


class Tables(HTMLParser):
    """Every <table> on a page as lists of cell texts, keyed by its id."""

    def __init__(self):
        super().__init__()
        self.tables, self._id, self._row, self._cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._id = dict(attrs).get("id")
            self.tables[self._id] = []
        elif tag == "tr" and self._id:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._id].append(self._row)
            self._row = None
        elif tag == "table":
            self._id = None


def tables_of(response) -> dict:
    parser = Tables()
    parser.feed(response.content.decode())
    return parser.tables


def test_each_metric_equals_the_hand_counted_figure(rolled_up):
    report = queries.service_report(queries.Filters(start=D1, end=D3))
    header, rows = report.table()
    assert header[0] == "Service"
    assert rows == [
        # name, opened, closed, open, overdue, SLA, median, p90, satisfied,
        # answers, repeats
        ["Missed bin collection", "3", "3", "1", "1", "50%", "2", "9", "50%", "2", "1"],
        ["Street problem", "1", "1", "0", "0", "100%", "0", "0", "–", "0", "0"],
        ["All", "4", "4", "1", "1", "67%", "1", "9", "50%", "2", "1"],
    ]
    assert [(w.start, w.opened, w.closed) for w in report.weeks] == [(D1, 4, 4)]


def test_filters_narrow_the_figures_and_group_them(rolled_up, ward):
    by_channel = queries.service_report(queries.Filters(start=D1, end=D3, by="channel"))
    assert [row[:3] for row in by_channel.table()[1]] == [
        ["Face to face", "1", "1"],
        ["Phone", "1", "0"],
        ["Web", "2", "3"],
        ["All", "4", "4"],
    ]
    in_ward = queries.service_report(queries.Filters(start=D1, end=D3, ward=ward.pk))
    assert [row[:3] for row in in_ward.table()[1]] == [
        ["Street problem", "1", "1"],
        ["All", "1", "1"],
    ]
    one_day = queries.service_report(queries.Filters(start=D3, end=D3))
    assert one_day.table()[1][-1][:5] == ["All", "0", "1", "1", "1"]


def test_the_page_shows_the_table_and_the_csv_equals_it(
    client, rolled_up, report_viewer, bin_service
):
    client.force_login(report_viewer)
    url = reverse("service_report")
    page = client.get(url, period())
    assert page.status_code == 200
    shown = tables_of(page)["figures"]
    download = client.get(url, period(format="csv"))
    assert download["Content-Type"].startswith("text/csv")
    assert "attachment" in download["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows == shown
    assert rows[1][:3] == ["Missed bin collection", "3", "3"]
    # The weekly trend is a chart with its numbers in a table next to it.
    html = page.content.decode()
    assert '<svg class="report-chart"' in html
    assert tables_of(page)["trend"] == [
        ["Week starting", "Opened", "Closed"],
        ["2 Nov 2026", "4", "4"],
    ]
    # Filters are in the URL: the same address shows the same figures.
    narrowed = client.get(url, period(service=bin_service.pk))
    assert [r[0] for r in tables_of(narrowed)["figures"][1:]] == [
        "Missed bin collection",
        "All",
    ]
    assert f'href="?start={D1.isoformat()}' in narrowed.content.decode()


def test_a_bad_filter_says_so_and_shows_the_default_period(client, report_viewer):
    client.force_login(report_viewer)
    page = client.get(reverse("service_report"), {"start": D3, "end": D1})
    assert page.status_code == 200
    assert "The end of the period must be after its start." in page.content.decode()


def test_only_people_with_the_permission_see_the_reports(
    client, waste_officer, report_viewer
):
    client.force_login(waste_officer)
    for name in ("service_report", "channel_shift_report", "journey_report"):
        assert client.get(reverse(name)).status_code in (302, 403)
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("service_report") not in menu
    client.force_login(report_viewer)
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("service_report") in menu
    assert reverse("channel_shift_report") in menu


@pytest.mark.parametrize("name", ["service_report", "channel_shift_report"])
def test_the_report_takes_the_same_queries_whatever_the_data(
    client, report_viewer, bin_service, street_service, ward, name
):
    client.force_login(report_viewer)
    url = reverse(name)
    params = {"start": "2025-12-01", "end": "2026-11-30"}

    def fill(days):
        ServiceDayStats.objects.all().delete()
        ServiceDayStats.objects.bulk_create(
            ServiceDayStats(
                day=datetime.date(2025, 12, 1) + datetime.timedelta(days=i),
                service=service,
                team=service.team,
                ward=ward,
                channel=channel,
                opened=3,
                closed=2,
                closed_in_1d=2,
            )
            for i in range(days)
            for service in (bin_service, street_service)
            for channel in Channel.values
        )

    def queries_for_page():
        client.get(url, params)  # warm caches (session, site, settings)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, params)
        assert response.status_code == 200
        return len(captured)

    fill(30)
    few = queries_for_page()
    fill(300)
    many = queries_for_page()
    assert few == many
    assert many <= 20


def test_chart_colours_pass_contrast_and_fit_320_pixels():
    for colour, _, _ in charts.STYLES:
        assert contrast_ratio(colour, "#ffffff") >= 3
    assert contrast_ratio(charts.TEXT, "#ffffff") >= 4.5
    svg = charts.line_chart(
        chart_id="c",
        title="Opened <each> week",
        labels=["1 Jan", "8 Jan"],
        series=[charts.Series("Opened", [1, 2]), charts.Series("Closed", [0, 3])],
    )
    assert 'viewBox="0 0 320 230"' in svg and 'font-size="12"' in svg
    assert "Opened &lt;each&gt; week" in svg
    assert 'role="img"' in svg and "<desc" in svg


def test_channel_shift_counts_costs_and_saving(rolled_up, bin_service, street_service):
    baseline_day = D1 - datetime.timedelta(days=7)
    for ref, channel in (
        ("F1", "face_to_face"),
        ("F2", "face_to_face"),
        ("P1", "phone"),
    ):
        make_case(ref, street_service, created=at(baseline_day, 9), channel=channel)
    rollup_range(D1 - datetime.timedelta(days=8), baseline_day)
    filters = queries.Filters(start=D1, end=D3)
    shift = queries.channel_shift(
        filters, (D1 - datetime.timedelta(days=8), baseline_day)
    )
    # Period: web A, C; phone B; face to face D. Baseline: web E; phone P1;
    # face to face F1, F2.
    assert shift.period == {"web": 2, "phone": 1, "face_to_face": 1}
    assert shift.before == {"web": 1, "phone": 1, "face_to_face": 2}
    assert shift.self_service_text == "50%"
    assert shift.cost(shift.period) == Decimal("11.75")  # 2×0.15 + 2.83 + 8.62
    # Baseline: (0.15 + 2.83 + 2×8.62) / 4 = 5.055 a contact; × 4 − 11.75.
    assert shift.saving == Decimal("8.47")
    assert shift.saving_text == "£8.47"
    header, rows = shift.summary_table()
    assert rows[0] == ["Web", "£0.15", "1", "25%", "2", "50%", "£0.30"]
    assert rows[-1] == ["All", "", "4", "100%", "4", "100%", "£11.75"]


def test_channel_shift_counts_logged_interactions_and_reports_from_other_apps(
    reported_cases, bin_service, street_service
):
    reason = InteractionReason.objects.create(name="Bin day")
    for channel, outcome in (
        (InteractionChannel.PHONE, InteractionOutcome.ANSWERED_FROM_WEBSITE),
        (InteractionChannel.EMAIL, InteractionOutcome.ANSWERED),
        (InteractionChannel.VISIT, InteractionOutcome.ANSWERED),
        # The case this letter opened is the contact: not counted twice.
        (InteractionChannel.LETTER, InteractionOutcome.CASE_OPENED),
    ):
        Interaction.objects.create(
            channel=channel, reason=reason, outcome=outcome, created_at=at(D1, 14)
        )
    make_case("ST-API", street_service, created=at(D2, 9), channel=Channel.API)
    rollup_range(D1, D3)
    rollup_range(D1, D3)  # re-run: the same figures, nothing added twice

    shift = queries.channel_shift(queries.Filters(start=D1, end=D3))
    # Cases: web A, C; phone B; face to face D; other systems ST-API.
    # Interactions: a call, an email and a visit.
    assert shift.period == {
        "web": 2,
        "phone": 2,
        "face_to_face": 2,
        "email": 1,
        "api": 1,
    }
    assert shift.self_service_text == "38%"  # (2 web + 1 other system) of 8
    # 2×0.15 + 2×2.83 + 2×8.62 + 2.83 (email) + 0.15 (Open311)
    assert shift.cost(shift.period) == Decimal("26.18")
    header, rows = shift.summary_table()
    assert [row[0] for row in rows] == [label for _, label in Channel.choices] + ["All"]
    # Narrowed to a service, the report counts that service's cases alone.
    bins = queries.channel_shift(
        queries.Filters(start=D1, end=D3, service=bin_service.pk)
    )
    assert bins.period == {"web": 2, "phone": 1}


def test_staff_open_a_case_for_someone_who_emailed_or_wrote():
    from services.admin_views import OnBehalfForm

    offered = dict(OnBehalfForm.base_fields["channel"].choices)
    assert set(offered) == {"phone", "face_to_face", "email", "letter"}


def test_channel_costs_set_by_the_council_change_the_figures(rolled_up):
    costs = ChannelCosts.load()
    costs.phone = Decimal("5.00")
    costs.save()
    shift = queries.channel_shift(queries.Filters(start=D1, end=D3))
    assert shift.cost(shift.period) == Decimal("13.92")
    assert shift.saving is None and shift.saving_text == "–"  # no baseline data


def test_the_channel_shift_page_explains_and_downloads(
    client, rolled_up, report_viewer
):
    client.force_login(report_viewer)
    url = reverse("channel_shift_report")
    page = client.get(url, period())
    html = page.content.decode()
    assert page.status_code == 200
    assert "How this is worked out" in html and "£8.62" in html
    download = client.get(url, period(format="csv"))
    assert (
        list(csv.reader(io.StringIO(download.content.decode())))
        == tables_of(page)["channels"]
    )
    half = client.get(url, period(baseline_start=D1.isoformat()))
    assert "Give both dates of the baseline, or neither." in half.content.decode()
