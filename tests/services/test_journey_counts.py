"""Where residents give up: step views, check answers, submissions and errors are
counted on the server per journey and day, with nothing personal kept."""

import csv
import datetime
import io

from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

import pytest

from services.models import JourneyStepCount
from services.reports import queries
from tests.myaccount.factories import with_two_factor
from tests.services.conftest import block_id, journey
from tests.services.test_missed_bin_journey import post_step, token, walk_to_check

pytestmark = pytest.mark.django_db


def counted(event, **extra):
    return sum(
        JourneyStepCount.objects.filter(event=event, **extra).values_list(
            "count", flat=True
        )
    )


def test_a_journey_is_counted_step_by_step_without_personal_data(
    client, missed_bin_page
):
    client.get(missed_bin_page.url)  # the start page is not a step
    assert JourneyStepCount.objects.count() == 0
    client.get(journey(missed_bin_page) + "?step=start")
    post_step(client, missed_bin_page, "postcode", postcode="ABC 123")
    post_step(client, missed_bin_page, "postcode", postcode="")
    walk_to_check(client, missed_bin_page)
    post_step(client, missed_bin_page, "check", token=token(client, missed_bin_page))
    assert counted("view", step="postcode") == 1
    assert counted("view", step="address") >= 1
    assert counted("check") >= 1
    assert counted("submitted") == 1
    errors = {
        (row.step, row.field, row.message): row.count
        for row in JourneyStepCount.objects.filter(event="error")
    }
    assert sum(errors.values()) == 2
    assert all(step == "postcode" and field == "postcode" for step, field, _ in errors)
    assert any("Enter a postcode" in message for _, _, message in errors)
    # Nothing the resident typed is kept.
    every_text = " ".join(
        " ".join(row)
        for row in JourneyStepCount.objects.values_list("step", "field", "message")
    )
    assert "ABC 123" not in every_text and "guest@example.com" not in every_text
    assert "Sam" not in every_text
    row = JourneyStepCount.objects.filter(event="view").first()
    assert row.day == timezone.localdate()
    assert row.page_id == missed_bin_page.pk
    assert row.block_id == block_id(missed_bin_page)


def test_a_value_put_into_an_error_message_is_left_out(client, missed_bin_page):
    client.get(journey(missed_bin_page) + "?step=start")
    walk_to_check(client, missed_bin_page)
    post_step(client, missed_bin_page, "bin", bin_type="private-value-123")
    messages = list(
        JourneyStepCount.objects.filter(event="error").values_list("message", flat=True)
    )
    assert messages and not any("private-value-123" in m for m in messages)


def test_the_report_shows_each_journey_by_week(
    client, missed_bin_page, django_user_model
):
    client.get(journey(missed_bin_page) + "?step=start")
    post_step(client, missed_bin_page, "postcode", postcode="")
    post_step(client, missed_bin_page, "postcode", postcode="")
    today = timezone.localdate()
    [funnel] = queries.journey_funnels(today, today)
    assert funnel.title == "Report a missed bin collection"
    header, rows = funnel.table()
    assert header[:2] == ["Week starting", "postcode"]
    assert rows[0][1] == "1"
    assert funnel.error_table()[1] == [
        ["postcode", "postcode", "Enter a postcode", "2"]
    ]

    group = Group.objects.create(name="Content designers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_management_reports"),
    )
    designer = django_user_model.objects.create_user("designer", "d@example.com", "pw")
    designer.groups.add(group)
    with_two_factor(designer)
    client.force_login(designer)
    page = client.get(reverse("journey_report"))
    html = page.content.decode()
    assert "Report a missed bin collection" in html and "Enter a postcode" in html
    download = client.get(reverse("journey_report"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    this_week = (today - datetime.timedelta(days=today.weekday())).strftime("%-d %b %Y")
    assert ["Report a missed bin collection", this_week, "postcode", "1"] in rows
