"""Cases in My Account: timeline, export, erasure and guest claim."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from myaccount import sources_cases as sources
from services import actions
from services.models import Case

pytestmark = pytest.mark.django_db


def test_timeline_lists_own_cases_with_latest_public_update_in_one_query(
    bin_service, resident, other_resident, waste_officer
):
    mine = actions.open_case(service=bin_service, answers={}, resident=resident)
    actions.open_case(service=bin_service, answers={}, resident=other_resident)
    actions.add_note(case=mine, actor=waste_officer, text="internal")
    actions.add_note(case=mine, actor=waste_officer, text="Crew returns", public=True)
    with CaptureQueriesContext(connection) as queries:
        items = sources.CASES.items(user=resident, organisation_ids=[], limit=10)
    assert len(queries) == 1
    assert [i.reference for i in items] == [mine.reference]
    assert items[0].updates == ("Crew returns",)
    assert items[0].url.endswith(f"/account/requests/{mine.reference}/")


def test_export_and_erasure(bin_service, resident):
    case = actions.open_case(
        service=bin_service, answers={"bin_type": "general"}, resident=resident
    )
    exported = sources.export_cases(resident)
    assert exported[0]["reference"] == case.reference
    assert exported[0]["answers"] == {"bin_type": "general"}
    sources.erase_cases(resident)
    case.refresh_from_db()
    assert case.resident is None and case.answers == {}


def test_guest_cases_are_claimed_by_the_verified_address(bin_service, resident):
    from myaccount.guest_claim import claim_guest_records

    case = actions.open_case(
        service=bin_service, answers={}, guest_email="RESIDENT@example.com"
    )
    assert claim_guest_records(user=resident, email="resident@example.com") >= 1
    assert Case.objects.for_resident(resident).get() == case
