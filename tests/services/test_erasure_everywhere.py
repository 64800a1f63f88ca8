"""Nothing personal is left after erasure, anywhere.

A resident who used every feature deletes their account; a guest's case passes its
retention period. Then the WHOLE database (every column of every table of every
app, found by the connection's introspection, sessions decoded), the cache (Redis
when configured) and the media and private upload folders are searched for the
person's email, names, phone, postcode, address, UPRN and map pin.
"""

from __future__ import annotations

import datetime
import re
import time
from decimal import Decimal
from pathlib import Path

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from wagtail.log_actions import log
from wagtail.users.models import UserProfile

import pytest
import responses
import time_machine
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession

from myaccount import actions as account_actions
from myaccount.integrations.council_tax import SUMMARY_KEY, get_council_tax_client
from myaccount.models import Organisation, OrganisationInvitation
from services import actions, outbox
from services.blocks.transactions import STEP_FIELD, TRANSACTION_FIELD
from services.enums import CaseStatus
from services.models import Case, CaseAttachment, CaseDraft, CaseEvent, CaseFollower
from services.tasks import erase_expired_cases, sweep_abandoned_uploads
from tests.files import pdf
from tests.myaccount.factories import (
    PASSWORD,
    CouncilTaxLinkFactory,
    DemoCouncilTaxAccountFactory,
    ProfileFactory,
    ResidentFactory,
    ResidentMessageFactory,
)
from tests.services.conftest import block_id, journey
from tests.services.test_missed_bin_journey import walk_to_check
from tests.services.test_street_problem_journey import photo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]

RESIDENT = {
    "first name": "Zebedee",
    "last name": "Quixotically",
    "email": "zebedee.quixotic@example.com",
    "phone": "07700900777",
    "address": "17 Quixote Row",
    "postcode": "GH7 7QQ",
    "UPRN": "100090777777",
    "pin latitude": "51.271717",
    "pin longitude": "0.471717",
    "bin address": "1 Guildhall Road",
    "bin postcode": "GU1 4AA",
    "council tax property": "17 Quixote Row, Guildhall",
    "browser": "QuixoticBrowser/1.0",
}
GUEST = {
    "name": "Xanthippe Vorobyova",
    "email": "xanthippe.v@example.com",
    "pin latitude": "51.262626",
    "pin longitude": "0.362626",
    "landmark": "outside number 9 Vorobyov Close",
}


@pytest.fixture
def folders(private_files):
    """The media and private upload folders, of this test's own."""
    return private_files


# -- where personal data could be left -------------------------------------------------


def _text(value) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


# The demo council tax back office stands in for the council's revenues system,
# which holds its own records of the property (not the resident's account data).
OUTSIDE_SYSTEMS = {"myaccount_democounciltaxaccount"}


def database_rows():
    """(table, column, text) for every non-null value in every table."""
    from django.contrib.sessions.backends.db import SessionStore

    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in sorted(set(tables) - OUTSIDE_SYSTEMS):
            columns = [
                c.name
                for c in connection.introspection.get_table_description(cursor, table)
            ]
            cursor.execute(
                f"SELECT {', '.join(map(quote, columns))} FROM {quote(table)}"  # noqa: S608
            )
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is None:
                        continue
                    text = _text(value)
                    if table == "django_session" and column == "session_data":
                        text = repr(SessionStore().decode(text))  # signed, compressed
                    yield table, column, text


def cache_values(*, alive_at=None):
    """(key, bytes) of everything in the cache (Redis, or local memory), leaving
    out entries that will have expired by ``alive_at`` (a session's copy in the
    cache lives as long as the session, and Redis drops it then)."""
    backend = getattr(cache, "_cache", None)
    horizon = (alive_at - timezone.now()).total_seconds() if alive_at else 0
    if hasattr(backend, "get_client"):
        client = backend.get_client(write=False)
        for key in client.scan_iter(count=1000):
            if client.type(key) != b"string":
                continue
            ttl = client.ttl(key)
            if 0 <= ttl < horizon:
                continue
            yield key.decode(), client.get(key) or b""
    elif isinstance(backend, dict):
        expiry = cache._expire_info
        for key, value in backend.items():
            if expiry.get(key) is not None and expiry[key] < time.time() + horizon:
                continue
            yield key, value


def files_in(folders) -> list[Path]:
    return sorted(p for f in folders if f.exists() for p in f.rglob("*") if p.is_file())


def personal_data_left(markers: dict, folders, *, alive_at=None) -> list[str]:
    found = []
    wanted = {label: value.lower() for label, value in markers.items()}
    for table, column, text in database_rows():
        lowered = text.lower()
        found += [
            f"database {table}.{column}: {label}"
            for label, value in wanted.items()
            if value in lowered
        ]
    for key, value in cache_values(alive_at=alive_at):
        lowered = value.lower()
        found += [
            f"cache {key}: {label}"
            for label, marker in wanted.items()
            if marker.encode() in lowered
        ]
    for path in files_in(folders):
        content = (path.name + "\n").encode() + path.read_bytes()
        lowered = content.lower()
        found += [
            f"file {path}: {label}"
            for label, marker in wanted.items()
            if marker.encode() in lowered
        ]
    return found


# -- journeys --------------------------------------------------------------------------


def post(client, page, block_type, step, **data):
    payload = {TRANSACTION_FIELD: block_id(page, block_type), STEP_FIELD: step, **data}
    return client.post(journey(page), payload)


def submit(client, page, block_type):
    check = client.get(journey(page) + "?step=check").content.decode()
    token = re.search(r'name="token" value="([0-9a-f-]+)"', check).group(1)
    response = post(client, page, block_type, "check", token=token)
    assert response.status_code == 302 and response.url.endswith("?step=done")


@pytest.fixture
def form_page(home_page, bin_service):
    from tests.factories.services import ServiceLandingPageFactory, ServicePageFactory

    landing = ServiceLandingPageFactory(parent=home_page, title="Forms", slug="forms")
    page = ServicePageFactory(
        parent=landing, title="Evidence", slug="evidence", body=[]
    )
    questions = [
        ("long_text", {"label": "What happened?", "hint": "", "required": True,
                       "max_length": 500}),
        ("address", {"label": "Your address", "hint": "", "required": True}),
        ("file", {"label": "Evidence", "hint": "", "required": True}),
    ]  # fmt: skip
    page.body = [
        (
            "form_service",
            {
                "service": bin_service,
                "heading": "",
                "intro": "",
                "questions": questions,
            },
        )
    ]
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def report_street_problem(client, page, *, latitude, longitude, description, **contact):
    post(client, page, "street_problem", "category", category="pothole")
    post(
        client,
        page,
        "street_problem",
        "location",
        latitude=latitude,
        longitude=longitude,
        landmark=contact.pop("landmark", ""),
    )
    post(
        client,
        page,
        "street_problem",
        "description",
        description=description,
        photos=[photo()],
    )
    if contact:
        post(client, page, "street_problem", "contact", **contact)


def close(case, staff, message):
    for status in (CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED):
        actions.change_status(case=case, to_status=status, actor=staff, message=message)


# -- the tests -------------------------------------------------------------------------


@responses.activate
def test_deleting_an_account_that_used_every_feature_leaves_nothing_personal(
    client,
    settings,
    folders,
    home_page,
    missed_bin_page,
    street_page,
    form_page,
    waste_officer,
    highways_officer,
    other_resident,
    django_capture_on_commit_callbacks,
):
    r = RESIDENT
    user = ResidentFactory(
        username="zebedee",
        email=r["email"],
        first_name=r["first name"],
        last_name=r["last name"],
    )
    ProfileFactory(
        user=user,
        phone=r["phone"],
        address_line_1=r["address"],
        town="Guildhall",
        postcode=r["postcode"],
        uprn=r["UPRN"],
    )
    # Council tax: linked, and its summary (with the property address) cached.
    DemoCouncilTaxAccountFactory(account_number="10000777", postcode=r["postcode"])
    assert account_actions.link_council_tax(
        user=user, account_number="10000777", postcode=r["postcode"]
    )
    settings.COUNCIL_TAX_BACKEND = "http"
    settings.COUNCIL_TAX_API_URL = "https://revenues.example/api"
    settings.COUNCIL_TAX_API_TOKEN = "t"
    responses.get(
        "https://revenues.example/api/accounts/10000777",
        json={
            "account_number": "10000777",
            "property_address": r["council tax property"],
            "band": "C",
            "balance": "10.00",
            "next_instalment": None,
        },
    )
    assert get_council_tax_client().summary("10000777")
    assert cache.get(SUMMARY_KEY.format("10000777")) is not None
    settings.COUNCIL_TAX_BACKEND = "local"
    CouncilTaxLinkFactory(user=user, account_number="10000888")
    ResidentMessageFactory(user=user, subject=f"Hello {r['first name']}")
    SocialAccount.objects.create(
        user=user,
        provider="google",
        uid="zq-1",
        extra_data={"email": r["email"], "name": r["first name"]},
    )
    # Signs in through allauth (a tracked session), then turns on two-factor.
    client.post(
        "/account/login/",
        {"login": r["email"], "password": PASSWORD},
        HTTP_USER_AGENT=r["browser"],
    )
    assert UserSession.objects.filter(user=user).exists()
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    # Organisations: one of their own, with invitations sent; one shared.
    own = account_actions.create_organisation(
        user=user, name=f"{r['last name']} Plumbing"
    )
    account_actions.invite_to_organisation(
        organisation=own, email="friend@example.com", invited_by=user
    )
    shared = account_actions.create_organisation(user=other_resident, name="Elm Club")
    account_actions.accept_invitation(
        invitation=account_actions.invite_to_organisation(
            organisation=shared, email=r["email"], invited_by=other_resident
        ),
        user=user,
    )
    # A missed bin, a street problem with a map pin and a photo, a form with a file.
    assert walk_to_check(client, missed_bin_page, guest=False).url.endswith("check")
    submit(client, missed_bin_page, "missed_bin")
    report_street_problem(
        client,
        street_page,
        latitude=r["pin latitude"],
        longitude="-" + r["pin longitude"],
        description=f"Outside {r['address']}, ring {r['phone']}",
    )
    submit(client, street_page, "street_problem")
    client.get(journey(form_page) + "?step=start")
    block = next(b for b in form_page.body if b.block_type == "form_service")
    steps = [f"q-{q.id}" for q in block.value["questions"]]
    post(
        client,
        form_page,
        "form_service",
        steps[0],
        answer=f"{r['first name']} {r['last name']} was hit",
    )
    post(
        client,
        form_page,
        "form_service",
        steps[1],
        line_1=r["address"],
        town="Guildhall",
        postcode=r["postcode"],
    )
    letter = pdf(author=f"{r['first name']} {r['last name']}", text=r["address"])
    post(
        client,
        form_page,
        "form_service",
        steps[2],
        answer=SimpleUploadedFile(f"{r['last name']} letter.pdf", letter),
    )
    submit(client, form_page, "form_service")
    cases = list(Case.objects.filter(resident=user).order_by("pk"))
    assert len(cases) == 3
    bin_case, street_case, form_case = cases
    assert street_case.latitude == Decimal(r["pin latitude"])
    assert form_case.uprn == r["UPRN"]
    assert CaseAttachment.objects.filter(case__resident=user).count() == 2
    # Staff write about them; the street case is closed and they answer.
    for case, staff in ((bin_case, waste_officer), (street_case, highways_officer)):
        actions.add_note(
            case=case, actor=staff, text=f"Spoke to {r['first name']} on {r['phone']}"
        )
        actions.add_note(
            case=case,
            actor=staff,
            text=f"{r['first name']}, we will call you on {r['phone']}",
            public=True,
        )
    close(street_case, highways_officer, f"Fixed outside {r['address']}")
    answered = client.post(
        f"/account/requests/{street_case.reference}/satisfaction/",
        {"answer": "yes", "comment": f"Thanks from {r['first name']} {r['last name']}"},
    )
    assert answered.status_code == 302
    failed = street_case.outbox.order_by("pk").first()
    outbox.record_failure(failed.pk, f"550 {r['email']}: mailbox unavailable")
    # They follow someone else's case, and leave a journey half done.
    neighbour = actions.open_case(
        service=bin_case.service, answers={}, resident=other_resident
    )
    actions.follow_case(case=neighbour, user=user)
    report_street_problem(
        client,
        street_page,
        latitude=r["pin latitude"],
        longitude="-" + r["pin longitude"],
        description=f"Again at {r['address']}",
    )
    assert CaseDraft.objects.filter(user=user).exists()
    # Staff: a note and a view in the single customer view, an edit in Wagtail.
    account_actions.add_staff_note(
        staff=waste_officer,
        resident=user,
        text=f"{r['first name']} {r['last name']} rang from {r['phone']}",
    )
    account_actions.record_staff_view(staff=waste_officer, resident=user, view="scv")
    log(instance=user, action="wagtail.edit", user=waste_officer)
    UserProfile.get_for_user(user)
    # Searches are logged without who searched, and without postcodes or numbers.
    client.get("/search/", {"q": f"bins {r['postcode']} {r['phone']} {r['email']}"})
    from search.querylog import flush

    flush()
    assert files_in(folders)
    before = personal_data_left(RESIDENT, folders)
    for place in ("services_case.", "myaccount_profile.", "auth_user.", "cache "):
        assert any(place in hit for hit in before), place  # the search finds data

    client.post("/account/reauthenticate/", {"password": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/delete/", {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == "/account/deleted/"

    left = personal_data_left(RESIDENT, folders)
    assert left == [], "\n".join(left)
    assert files_in(folders) == []
    # The council keeps its statistics, with no person in them.
    for case in Case.objects.filter(pk__in=[c.pk for c in cases]):
        assert case.resident is None and case.status and case.service_id
        assert case.latitude is None and case.uprn == ""
    assert CaseEvent.objects.filter(case=street_case, text="[erased]").count() >= 3
    assert not CaseFollower.objects.filter(user=user).exists()
    assert not Organisation.objects.filter(pk=own.pk).exists()
    assert Organisation.objects.filter(pk=shared.pk).exists()
    assert not OrganisationInvitation.objects.filter(invited_by=user).exists()
    assert cache.get(SUMMARY_KEY.format("10000777")) is None


def test_retention_leaves_nothing_of_a_guest(
    client,
    folders,
    street_page,
    highways_officer,
    other_resident,
    django_capture_on_commit_callbacks,
):
    g = GUEST
    with django_capture_on_commit_callbacks(execute=True):
        report_street_problem(
            client,
            street_page,
            latitude=g["pin latitude"],
            longitude="-" + g["pin longitude"],
            landmark=g["landmark"],
            description=f"{g['name']} tripped here",
            email=g["email"],
            name=g["name"],
        )
        # The guest goes back and changes the photo: the first has no case.
        post(
            client,
            street_page,
            "street_problem",
            "description",
            description=f"{g['name']} tripped here",
            photos=[photo("second.jpg")],
        )
        submit(client, street_page, "street_problem")
    case = Case.objects.get()
    assert len(files_in(folders)) == 2 and case.attachments.count() == 1
    actions.add_note(case=case, actor=highways_officer, text=f"{g['name']} called")
    actions.add_note(
        case=case, actor=highways_officer, text=f"Dear {g['name']}, soon", public=True
    )
    actions.follow_case(case=case, user=other_resident)
    close(case, highways_officer, f"Thanks {g['name']}")
    answered = client.post(
        "/track-a-request/satisfaction/",
        {
            "reference": case.reference,
            "email": g["email"],
            "answer": "no",
            "comment": f"{g['name']} was not told",
        },
    )
    assert answered.status_code == 200
    assert case.satisfaction.comment
    outbox.record_failure(case.outbox.first().pk, f"bounced: {g['email']}")
    assert personal_data_left(GUEST, folders)

    later = timezone.now() + datetime.timedelta(days=case.service.retention_days + 1)
    with time_machine.travel(later, tick=False):
        assert erase_expired_cases.delay().get() == 1
        sweep_abandoned_uploads.delay().get()

    left = personal_data_left(GUEST, folders, alive_at=later)
    assert left == [], "\n".join(left)
    assert files_in(folders) == []
    case.refresh_from_db()
    assert case.anonymised_at and case.status == CaseStatus.RESOLVED
    assert case.satisfaction.answer == "no" and case.satisfaction.comment == ""
