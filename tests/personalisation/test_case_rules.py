"""Case, booking and campaign rules: what the council knows of a resident."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from personalisation.bookings import (
    register_booking_provider,
    unregister_booking_provider,
)
from tests.factories.personalisation import SegmentFactory
from tests.myaccount.factories import with_two_factor
from tests.personalisation.test_delivery import personalise


def page_text(client, page):
    return client.get(page.url).content.decode()


@pytest.fixture
def staff(django_user_model):
    user = django_user_model.objects.create_superuser("staff", "s@example.com", "pw")
    with_two_factor(user)
    return user


def report_pothole(service, resident_):
    from services.actions import open_case

    return open_case(
        service=service,
        answers={"problem": "pothole"},
        resident=resident_,
        summary="Pothole on Mill Lane",
    )


@pytest.mark.django_db
def test_a_resident_with_an_open_pothole_report_sees_its_status_on_the_roads_page(
    client, council, street_service, bin_service, resident, staff, settings
):
    from services.actions import change_status
    from services.models import OpenCaseRule, RecentlyClosedCaseRule

    roads = council["standard"]
    reporters = SegmentFactory(name="Open street report")
    OpenCaseRule.objects.create(segment=reporters, service=street_service)
    personalise(
        roads,
        reporters,
        "Your pothole report is being worked on",
        "Report a pothole",
    )
    client.force_login(resident)
    assert "Report a pothole" in page_text(client, roads)

    case = report_pothole(street_service, resident)
    # The cached summary was dropped when the case was saved: no waiting.
    response = client.get(roads.url)
    assert "Your pothole report is being worked on" in response.content.decode()
    assert "private" in response["Cache-Control"]

    change_status(case=case, to_status="in_progress", actor=staff)
    assert "being worked on" in page_text(client, roads)
    change_status(case=case, to_status="resolved", actor=staff)
    assert "Report a pothole" in page_text(client, roads)

    # "Closed in the last N days" now matches, for that service or any.
    recently = SegmentFactory(name="Recently closed")
    RecentlyClosedCaseRule.objects.create(segment=recently, days=7)
    personalise(council["service"], recently, "How did we do?", "Report a bin")
    assert "How did we do?" in page_text(client, council["service"])
    from services.models import Case

    Case.objects.filter(pk=case.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=8)
    )
    from services.case_facts import forget

    forget(resident.pk)  # an update() sends no signal; the entry expires itself
    assert "Report a bin" in page_text(client, council["service"])
    # Nobody else, and no anonymous visitor, is in these segments.
    client.logout()
    assert "Report a pothole" in page_text(client, roads)


@pytest.mark.django_db
def test_all_case_rules_of_a_request_cost_one_query_then_none_while_cached(
    client, council, street_service, bin_service, resident, settings
):
    from services.models import OpenCaseRule, RecentlyClosedCaseRule

    settings.PAGE_CACHE_SECONDS = 0
    page = council["service"]
    report_pothole(street_service, resident)
    segments = []
    for service in (street_service, bin_service):
        segment = SegmentFactory(match_any=True)
        OpenCaseRule.objects.create(segment=segment, service=service)
        RecentlyClosedCaseRule.objects.create(segment=segment, service=service)
        segments.append(segment)
    personalise(page, segments[0], "Open report", "Nothing open")
    client.force_login(resident)

    def case_queries():
        with CaptureQueriesContext(connection) as captured:
            html = page_text(client, page)
        assert "Open report" in html
        return [q for q in captured.captured_queries if "services_case" in q["sql"]]

    assert len(case_queries()) == 1
    assert case_queries() == []  # cached for the resident


@pytest.mark.django_db
def test_the_booking_rule_never_matches_without_a_provider_and_asks_providers(
    client, council, resident
):
    from services.models import UpcomingBookingRule

    segment = SegmentFactory(name="Booked")
    UpcomingBookingRule.objects.create(segment=segment, days=7, kind="bulky waste")
    personalise(council["service"], segment, "Your collection is booked", "Book")
    client.force_login(resident)
    assert "Book" in page_text(client, council["service"])

    asked = []

    def bulky_waste(user, *, within_days, kind):
        asked.append((user.pk, within_days, kind))
        return kind == "bulky waste"

    def broken(user, **kwargs):
        raise RuntimeError("bookings system down")

    register_booking_provider(broken)
    register_booking_provider(bulky_waste)
    try:
        html = page_text(client, council["service"])
    finally:
        unregister_booking_provider(broken)
        unregister_booking_provider(bulky_waste)
    assert "Your collection is booked" in html
    assert asked == [(resident.pk, 7, "bulky waste")]
