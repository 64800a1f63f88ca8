"""The weekly summary: through the outbox, once per person and week, only to
people who may see the reports, with the week's figures and a link."""

import datetime

from django.contrib.auth.models import Group, Permission
from django.core import mail

import pytest

from services.enums import OutboxTopic
from services.models import OutboxEvent
from services.reports.emails import last_week, queue_weekly_reports
from services.reports.rollup import rollup_range
from tests.services.report_fixtures import D1, D3

pytestmark = pytest.mark.django_db

MONDAY_AFTER = D1 + datetime.timedelta(days=7)


@pytest.fixture
def managers(django_user_model):
    group = Group.objects.create(name="Service managers")
    group.permissions.add(Permission.objects.get(codename="view_management_reports"))
    found = []
    for name in ("ana", "ben"):
        user = django_user_model.objects.create_user(name, f"{name}@example.com", "pw")
        user.groups.add(group)
        found.append(user)
    django_user_model.objects.create_user("cat", "cat@example.com", "pw")
    return found


def test_last_week_is_monday_to_sunday_before_this_week():
    assert last_week(MONDAY_AFTER) == (D1, D1 + datetime.timedelta(days=6))
    assert last_week(MONDAY_AFTER + datetime.timedelta(days=3))[0] == D1


def test_people_with_the_permission_get_the_week_by_email_once(
    reported_cases, managers, waste_officer, django_capture_on_commit_callbacks
):
    rollup_range(D1, D3)
    with django_capture_on_commit_callbacks(execute=True):
        ids = queue_weekly_reports(today=MONDAY_AFTER)
    assert len(ids) == 2
    assert (
        OutboxEvent.objects.filter(
            topic=OutboxTopic.WEEKLY_REPORT, delivered_at__isnull=False
        ).count()
        == 2
    )
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ana@example.com",
        "ben@example.com",
    ]
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "Service figures for the week to 8 November 2026"
    assert "Cases opened: 4" in body and "Cases closed: 4" in body
    assert "Service level met: 67%" in body
    assert "Missed bin collection: 3 opened, 3 closed" in body
    assert "/admin/reports/services/?start=2026-11-02&end=2026-11-08" in body
    # The beat task running again that week sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_weekly_reports(today=MONDAY_AFTER) == []
    assert len(mail.outbox) == 2


def test_someone_who_lost_the_permission_before_sending_gets_nothing(
    managers, django_capture_on_commit_callbacks
):
    ids = queue_weekly_reports(today=MONDAY_AFTER)
    managers[0].groups.clear()
    from services import outbox

    for pk in ids:
        outbox.deliver(pk)
    assert [m.to[0] for m in mail.outbox] == ["ben@example.com"]
