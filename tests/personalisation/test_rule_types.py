"""Rule types defined by the apps that own the data (cases and bookings in services,
council tax links in My Account) work in the segment builder, in evaluation, in
the definitions cache and on the segments dashboard like the library's own."""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.test import RequestFactory
from django.test.utils import isolate_apps
from django.urls import reverse
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup
from wagtail_personalisation.models import Segment
from wagtail_personalisation.rules import AbstractBaseRule

from personalisation import segments
from personalisation.bookings import (
    register_booking_provider,
    unregister_booking_provider,
)
from personalisation.compat import rule_type_problems
from personalisation.rule_types import offered_labels

CREATE = "wagtail_personalisation_segment_modeladmin_create"


def builder_form(client) -> tuple[dict, str]:
    """The segment builder's blank form: its fields' default values, and the page."""
    html = client.get(reverse(CREATE)).content.decode()
    page = BeautifulSoup(html, "html.parser")
    form = page.select_one("form[method=post]")
    data = {}
    for field in form.select("input, select, textarea"):
        name = field.get("name")
        if not name or field.get("type") in ("checkbox", "radio", "submit"):
            continue
        if field.name == "select":
            chosen = field.select_one("option[selected]")
            data[name] = chosen.get("value", "") if chosen else ""
        else:
            data[name] = field.get("value", "")
    return data, html


def build_segment(client, name: str, relation: str, rule: dict) -> Segment:
    """Make a dynamic segment with one rule through the admin, as an editor does."""
    data, _html = builder_form(client)
    data.update(
        {
            "name": name,
            "status": Segment.STATUS_ENABLED,
            "type": Segment.TYPE_DYNAMIC,
            "count": "0",
            f"{relation}-TOTAL_FORMS": "1",
            f"{relation}-0-id": "",
            f"{relation}-0-ORDER": "1",
            f"{relation}-0-DELETE": "",
            **{f"{relation}-0-{field}": value for field, value in rule.items()},
        }
    )
    response = client.post(reverse(CREATE), data)
    assert response.status_code == 302, BeautifulSoup(
        response.content, "html.parser"
    ).select(".error-message, .help-critical, .w-field__errors")
    return Segment.objects.get(name=name)


def signed_in(user):
    request = RequestFactory().get("/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "signed-in"
    request.user = user
    return request


@pytest.mark.django_db
def test_the_builder_offers_every_apps_rules_and_not_the_visit_count_rule(
    admin_client,
):
    _data, html = builder_form(admin_client)
    for relation in (
        "services_opencaserules",
        "services_recentlyclosedcaserules",
        "services_upcomingbookingrules",
        "myaccount_counciltaxlinkedrules",
        "personalisation_wardrules",
        "wagtail_personalisation_devicerules",
    ):
        assert f'name="{relation}-TOTAL_FORMS"' in html
    assert "visitcountrules" not in html
    assert "wagtail_personalisation.VisitCountRule" not in offered_labels()


@pytest.mark.django_db
def test_segments_built_in_the_admin_with_each_moved_rule_match_the_right_residents(
    admin_client, street_service, resident, other_resident
):
    from myaccount.models import CouncilTaxLink
    from services.actions import change_status, open_case

    built = {
        "open": build_segment(
            admin_client,
            "Open pothole report",
            "services_opencaserules",
            {"service": str(street_service.pk)},
        ),
        "closed": build_segment(
            admin_client,
            "Case closed this week",
            "services_recentlyclosedcaserules",
            {"service": "", "days": "7"},
        ),
        "booked": build_segment(
            admin_client,
            "Bulky waste booked",
            "services_upcomingbookingrules",
            {"days": "7", "kind": "bulky waste"},
        ),
        "linked": build_segment(
            admin_client,
            "Council tax linked",
            "myaccount_counciltaxlinkedrules",
            {"linked": "True"},
        ),
        "not linked": build_segment(
            admin_client,
            "Council tax not linked",
            "myaccount_counciltaxlinkedrules",
            {"linked": "False"},
        ),
    }
    assert {k: len(s.get_rules()) for k, s in built.items()} == {k: 1 for k in built}

    case = open_case(
        service=street_service,
        answers={"problem": "pothole"},
        resident=resident,
        summary="Pothole on Mill Lane",
    )
    CouncilTaxLink.objects.create(user=resident, account_number="10000001")

    def booked(user, *, within_days, kind):
        return user.pk == resident.pk and kind == "bulky waste"

    register_booking_provider(booked)
    try:
        mine = segments.evaluate(signed_in(resident), record=False)
        theirs = segments.evaluate(signed_in(other_resident), record=False)
    finally:
        unregister_booking_provider(booked)
    assert {built["open"].pk, built["booked"].pk, built["linked"].pk} <= mine
    assert built["closed"].pk not in mine and built["not linked"].pk not in mine
    assert theirs & {s.pk for s in built.values()} == {built["not linked"].pk}

    admin = type(resident).objects.create_superuser("boss", "b@example.com", "pw")
    change_status(case=case, to_status="in_progress", actor=admin)
    change_status(case=case, to_status="resolved", actor=admin)
    type(case).objects.filter(pk=case.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=2)
    )
    cache.clear()  # an update() sends no signal: drop the cached case summary
    now = segments.evaluate(signed_in(resident), record=False)
    assert built["closed"].pk in now and built["open"].pk not in now


@pytest.mark.django_db
def test_the_dashboard_describes_rules_of_other_apps(admin_client, street_service):
    build_segment(
        admin_client,
        "Open pothole report",
        "services_opencaserules",
        {"service": str(street_service.pk)},
    )
    html = admin_client.get(
        reverse("wagtail_personalisation_segment_modeladmin_index")
    ).content.decode()
    assert "Residents with an open request of" in html
    assert "Street problem" in html


@pytest.mark.django_db
def test_saving_a_rule_of_another_app_reloads_the_segment_definitions(
    street_service,
):
    from services.models import OpenCaseRule

    segment = Segment.objects.create(name="Reporters")
    before = segments._current_version()
    rule = OpenCaseRule.objects.create(segment=segment, service=street_service)
    after_save = segments._current_version()
    assert after_save != before
    assert any(
        isinstance(r, OpenCaseRule)
        for definition in segments.segment_definitions()
        for r in definition.rules
    )
    rule.delete()
    assert segments._current_version() != after_save


@isolate_apps("personalisation")
def test_a_rule_type_the_builder_could_not_handle_is_reported():
    class RenamedTableRule(AbstractBaseRule):
        def test_user(self, request=None):
            return True

        class Meta:
            app_label = "personalisation"
            db_table = "council_renamed_rules"

    class IndirectRule(RenamedTableRule):
        other = models.BooleanField(default=False)

        class Meta:
            app_label = "personalisation"

    class SilentRule(AbstractBaseRule):
        class Meta:
            app_label = "personalisation"

    assert any("table" in p for p in rule_type_problems(RenamedTableRule))
    assert any("directly" in p for p in rule_type_problems(IndirectRule))
    assert any("test_user" in p for p in rule_type_problems(SilentRule))


@pytest.mark.django_db
def test_segments_still_holding_a_visit_count_rule_are_named_at_start_up(home_page):
    from wagtail_personalisation.rules import VisitCountRule

    from personalisation.checks import visit_count_rules

    assert visit_count_rules(None, databases=["default"]) == []
    segment = Segment.objects.create(name="Frequent visitors")
    VisitCountRule.objects.create(segment=segment, counted_page=home_page, count=3)
    assert visit_count_rules(None) == []  # no database asked about: no query
    warnings = visit_count_rules(None, databases=["default"])
    assert [w.id for w in warnings] == ["personalisation.W001"]
    assert "Frequent visitors" in warnings[0].msg
