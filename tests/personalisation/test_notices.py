"""My Account notices for segments, and the demo's Northfield bin-day change."""

import datetime

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from personalisation.demo import NOTICE_TITLE, ensure_demo_segment, with_bin_day_change
from tests.myaccount.factories import (
    MyAccountPageFactory,
    ProfileFactory,
    ResidentFactory,
)


def add_demo_personalisation(page):
    """What ``load_demo`` does for the bins page, on the test council's."""
    segment = ensure_demo_segment()
    page.body = with_bin_day_change(list(page.body.raw_data), segment)
    page.save_revision().publish()


@pytest.fixture
def demo(council):
    call_command("load_wards", verbosity=0)
    add_demo_personalisation(council["landing"])
    return council


def resident_in(postcode):
    return ProfileFactory(user=ResidentFactory(), postcode=postcode).user


@pytest.mark.django_db
def test_a_northfield_resident_sees_the_bin_day_change_on_the_bins_page_and_my_account(
    client, demo
):
    my_account = MyAccountPageFactory(parent=demo["home"])
    northfield, castle = resident_in("GH2 3CC"), resident_in("GH1 1AA")
    client.force_login(northfield)
    assert NOTICE_TITLE in client.get(demo["landing"].url).content.decode()
    dashboard = client.get(my_account.url)
    assert NOTICE_TITLE in dashboard.content.decode()
    assert "private" in dashboard["Cache-Control"]
    client.force_login(castle)
    assert NOTICE_TITLE not in client.get(demo["landing"].url).content.decode()
    assert NOTICE_TITLE not in client.get(my_account.url).content.decode()
    client.logout()
    assert NOTICE_TITLE not in client.get(demo["landing"].url).content.decode()


@pytest.mark.django_db
def test_loading_the_demo_again_creates_nothing_twice(demo):
    from wagtail_personalisation.models import Segment

    from personalisation.models import AccountNotice

    demo["landing"].refresh_from_db()
    add_demo_personalisation(demo["landing"].specific)
    assert Segment.objects.filter(name="Northfield residents").count() == 1
    assert AccountNotice.objects.count() == 1
    demo["landing"].refresh_from_db()
    body = demo["landing"].specific.body
    assert [b.block_type for b in body].count("personalised") == 1


@pytest.mark.django_db
def test_notices_show_only_while_live_and_in_date_at_a_constant_query_count(
    client, demo
):
    from personalisation.models import AccountNotice

    my_account = MyAccountPageFactory(parent=demo["home"])
    northfield = AccountNotice.objects.get().segments.get()
    client.force_login(resident_in("GH2 3CC"))

    def dashboard():
        with CaptureQueriesContext(connection) as queries:
            html = client.get(my_account.url).content.decode()
        return html, len(queries)

    dashboard()
    html, one = dashboard()
    now = timezone.now()
    for n in range(10):
        notice = AccountNotice.objects.create(
            title=f"Extra notice {n}", message="<p>More.</p>"
        )
        notice.segments.set([northfield])
    ended = AccountNotice.objects.create(
        title="Old news", message="<p>Gone.</p>", ends_at=now - datetime.timedelta(1)
    )
    ended.segments.set([northfield])
    later = AccountNotice.objects.create(
        title="Not yet", message="<p>Soon.</p>", starts_at=now + datetime.timedelta(1)
    )
    later.segments.set([northfield])
    html, eleven = dashboard()
    assert "Extra notice 9" in html and NOTICE_TITLE in html
    assert "Old news" not in html and "Not yet" not in html
    assert eleven == one
