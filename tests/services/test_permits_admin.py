"""Staff list of permits (garden waste subscriptions and resident parking
permits): only staff allowed to see permits, every state told apart, filters by
scheme and state, search by number, registration, postcode and case reference,
pages in constant queries."""

import datetime

from django.contrib.auth.models import Group, Permission
from django.utils import timezone

import pytest

from services import actions
from services.models import Permit, PermitStatus
from services.permits import actions as permits
from tests.myaccount.factories import with_two_factor
from tests.services.test_permits import garden, make_scheme, parking  # noqa: F401

pytestmark = pytest.mark.django_db

URL = "/admin/permits/"


def make_permit(
    scheme,
    case,
    user,
    *,
    ends_in_days,
    status=PermitStatus.ACTIVE,
    registration="",
    postcode="GU1 3UW",
    quantity=1,
    renewal_of=None,
):
    today = timezone.localdate()
    quoted = permits.Quote(
        amount=5200,
        valid_from=today + datetime.timedelta(days=ends_in_days - 364),
        valid_until=today + datetime.timedelta(days=ends_in_days),
        item_code="first" if registration else "bin",
        item_name="First vehicle" if registration else "Garden waste bin",
        quantity=quantity,
        full_price=5200,
        months=12,
    )
    permit = permits.create_permit(
        scheme=scheme,
        case=case,
        user=user,
        quoted=quoted,
        address="9 Castle Street, Guildford",
        postcode=postcode,
        registration=registration,
        renewal_of=renewal_of,
    )
    if status != PermitStatus.PENDING:
        permit = permits.activate_permit(permit=permit)
    if status == PermitStatus.CANCELLED:
        Permit.objects.filter(pk=permit.pk).update(status=status)
    return Permit.objects.get(pk=permit.pk)


@pytest.fixture
def holder(resident):
    resident.first_name, resident.last_name = "Sam", "Holder"
    resident.save()
    return resident


@pytest.fixture
def permit_staff(django_user_model):
    user = django_user_model.objects.create_user(
        "permits", "permits@example.com", "pw-permits-123"
    )
    user.groups.add(Group.objects.get(name="Editors"))
    user.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="services", codename="view_permit"
        )
    )
    with_two_factor(user)
    return user


@pytest.fixture
def every_state(garden, parking, holder):  # noqa: F811 (fixtures imported above)
    def case_for(scheme):
        return actions.open_case(service=scheme.service, answers={}, resident=holder)

    current = make_permit(garden, case_for(garden), holder, ends_in_days=100)
    ended = make_permit(garden, case_for(garden), holder, ends_in_days=-5, quantity=2)
    renewed = make_permit(
        garden, case_for(garden), holder, ends_in_days=-40, postcode="GH2 3CC"
    )
    renewal = make_permit(
        garden, case_for(garden), holder, ends_in_days=325, renewal_of=renewed
    )
    pending = make_permit(
        garden, case_for(garden), holder, ends_in_days=200, status=PermitStatus.PENDING
    )
    car = make_permit(
        parking, case_for(parking), holder, ends_in_days=50, registration="AB12CDE"
    )
    cancelled = make_permit(
        parking,
        case_for(parking),
        holder,
        ends_in_days=80,
        registration="XY99ZZZ",
        status=PermitStatus.CANCELLED,
    )
    return {
        "current": current,
        "ended": ended,
        "renewed": renewed,
        "renewal": renewal,
        "pending": pending,
        "car": car,
        "cancelled": cancelled,
    }


def refused(response) -> bool:
    """Forbidden, or (the admin's way with staff) sent back to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url in ("/admin/", "/")
    )


def numbers(html, permits_by_name):
    """Which permits the list has a row for (by the number in its first cell)."""
    return {
        name
        for name, p in permits_by_name.items()
        if p.number and f"<td>{p.number}</td>" in html
    }


def test_only_staff_allowed_to_see_permits_get_the_list_and_its_menu_item(
    client, resident, waste_officer, contractor, django_user_model, permit_staff
):
    assert client.get(URL).status_code == 302  # signed out: to the login page
    client.force_login(resident)
    assert client.get(URL).status_code in (302, 403)
    client.force_login(waste_officer)  # staff, without the permission
    assert refused(client.get(URL))
    assert URL not in client.get("/admin/").content.decode()
    partner = django_user_model.objects.create_user("p", "p@example.com", "pw-p-12345")
    partner.groups.add(contractor, Group.objects.get(name="Editors"))
    with_two_factor(partner)
    client.force_login(partner)
    assert refused(client.get(URL))
    client.force_login(permit_staff)
    assert client.get(URL).status_code == 200
    assert URL in client.get("/admin/").content.decode()


def test_the_list_shows_each_permit_with_its_state_holder_and_case(
    client, permit_staff, every_state
):
    client.force_login(permit_staff)
    html = client.get(URL).content.decode()
    assert "7 permits" in html
    assert numbers(html, every_state) == set(every_state) - {"pending"}
    assert "Not issued" in html  # the pending one has no number yet
    assert "Sam Holder" in html and "9 Castle Street, Guildford" in html
    assert "First vehicle, AB12 CDE" in html and "2 bins" in html
    assert f"(renewal: {every_state['renewal'].number})" in html
    for state in ("Active", "Waiting for payment", "Expired", "Renewed"):
        assert f"<td>{state}" in html
    assert "<td>Cancelled</td>" in html
    case = every_state["car"].case
    assert f'href="/admin/cases/{case.pk}/">{case.reference}</a>' in html


@pytest.mark.parametrize(
    "query, expected",
    [
        ("state=active", {"current", "renewal", "car"}),
        ("state=expired", {"ended"}),
        ("state=renewed", {"renewed"}),
        ("state=cancelled", {"cancelled"}),
        ("state=active&scheme=PARKING", {"car"}),
        ("q=ab12 cde", {"car"}),  # registration, any spacing
        ("q=gh23cc", {"renewed"}),  # postcode, any spacing
        ("q=gh2", {"renewed"}),  # the start of a postcode
        ("q=NUMBER", {"ended"}),  # permit number
        ("q=REFERENCE", {"cancelled"}),  # case reference
        ("q=zz1 1zz", set()),
    ],
)
def test_filters_and_search(
    client,
    permit_staff,
    every_state,
    parking,  # noqa: F811
    query,
    expected,
):
    client.force_login(permit_staff)
    query = (
        query.replace("PARKING", str(parking.pk))
        .replace("NUMBER", every_state["ended"].number)
        .replace("REFERENCE", every_state["cancelled"].case.reference)
    )
    html = client.get(f"{URL}?{query}").content.decode()
    assert numbers(html, every_state) == expected


def test_the_pending_filter_lists_only_permits_waiting_for_payment(
    client, permit_staff, every_state
):
    client.force_login(permit_staff)
    html = client.get(f"{URL}?state=pending").content.decode()
    assert "1 permit<" in html and "Not issued" in html
    assert numbers(html, every_state) == set()


def test_a_page_costs_the_same_queries_however_many_permits(
    client,
    permit_staff,
    garden,  # noqa: F811
    parking,  # noqa: F811
    holder,
    django_assert_num_queries,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from services.permits import admin_views

    client.force_login(permit_staff)
    client.get(URL)  # caches warmed (site, permissions)
    case = actions.open_case(service=garden.service, answers={}, resident=holder)
    counts = []
    for size in (3, 60):
        for n in range((size - Permit.objects.count()) // 3):
            first = make_permit(garden, case, holder, ends_in_days=-10 - n)
            make_permit(garden, case, holder, ends_in_days=355 - n, renewal_of=first)
            make_permit(
                parking, case, holder, ends_in_days=20 + n, registration=f"AB{n:02d}CDE"
            )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        counts.append(len(ctx))
    assert Permit.objects.count() > admin_views.PER_PAGE  # more than one page
    assert counts[0] == counts[1]
    with django_assert_num_queries(counts[1]):
        assert "Page 2 of 2" in client.get(f"{URL}?p=2").content.decode()
