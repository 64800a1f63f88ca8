"""Book a registrar appointment (no payment): type, office, a free time held
while the resident finishes, confirmation; then change the time and cancel from
My Account."""

import re

import pytest

from services.blocks.transactions import STEP_FIELD, TRANSACTION_FIELD
from services.models import Booking, BookingStatus, Case, Payment, ServiceDefinition
from tests.factories.bookings import make_calendar, make_slot
from tests.factories.services import ServiceLandingPageFactory, ServicePageFactory
from tests.services.conftest import block_id, journey

pytestmark = pytest.mark.django_db
BIRTH = "Register a birth"


@pytest.fixture
def registrar(home_page, waste_team):
    service = ServiceDefinition.objects.create(
        name="Registrar appointments",
        reference_prefix="REG",
        case_type="Registrar appointment",
        team=waste_team,
        guest_allowed=True,
    )
    calendar = make_calendar(name="Registrar appointments", slug="registrar")
    times = {
        (BIRTH, "Town hall", 5, 9): 1,
        (BIRTH, "Town hall", 6, 10): 1,
        (BIRTH, "Library", 5, 9): 1,
        ("Register a death", "Town hall", 5, 11): 1,
    }
    slots = {
        key: make_slot(
            calendar,
            days_ahead=key[2],
            hour=key[3],
            kind=key[0],
            location=key[1],
            capacity=cap,
        )
        for key, cap in times.items()
    }
    landing = ServiceLandingPageFactory(parent=home_page, title="Register", slug="reg")
    page = ServicePageFactory(
        parent=landing, title="Register a birth", slug="birth", body=[]
    )
    page.body = [
        (
            "registrar_appointment",
            {"service": service, "heading": "", "calendar": calendar},
        )
    ]
    page.save_revision().publish()
    page.refresh_from_db()
    page.slot_map = slots
    return page


def post_step(client, page, step, **data):
    payload = {
        TRANSACTION_FIELD: block_id(page, "registrar_appointment"),
        STEP_FIELD: step,
        **data,
    }
    return client.post(journey(page), payload)


def book(client, page, *, guest=True):
    client.get(journey(page) + "?step=start")
    post_step(client, page, "kind", choice=BIRTH)
    html = client.get(journey(page) + "?step=office").content.decode()
    assert "Library" in html and "Town hall" in html
    post_step(client, page, "office", choice="Town hall")
    html = client.get(journey(page) + "?step=slot").content.decode()
    slot_ids = re.findall(r'name="slot" type="radio" value="(\d+)"', html)
    assert slot_ids == [
        str(page.slot_map[(BIRTH, "Town hall", 5, 9)].pk),
        str(page.slot_map[(BIRTH, "Town hall", 6, 10)].pk),
    ]
    post_step(client, page, "slot", slot=slot_ids[0])
    post_step(client, page, "details", name="Baby Example")
    if guest:
        post_step(client, page, "contact", email="parent@example.com")
    html = client.get(journey(page) + "?step=check").content.decode()
    token = re.search(r'name="token" value="([0-9a-f-]+)"', html).group(1)
    return post_step(client, page, "check", token=token)


def test_a_guest_books_a_birth_registration_without_paying(client, registrar):
    done = book(client, registrar)
    assert done.url.endswith("?step=done")
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.CONFIRMED
    assert not Payment.objects.exists()
    html = client.get(done.url).content.decode()
    assert "Appointment booked" in html and booking.case.reference in html
    assert "Paid" not in html


def test_the_held_time_is_not_offered_to_someone_else(
    client, registrar, django_user_model
):
    from django.test import Client

    client.get(journey(registrar) + "?step=start")
    post_step(client, registrar, "kind", choice=BIRTH)
    post_step(client, registrar, "office", choice="Town hall")
    first = registrar.slot_map[(BIRTH, "Town hall", 5, 9)]
    post_step(client, registrar, "slot", slot=str(first.pk))
    other = Client()
    other.get(journey(registrar) + "?step=start")
    post_step(other, registrar, "kind", choice=BIRTH)
    post_step(other, registrar, "office", choice="Town hall")
    html = other.get(journey(registrar) + "?step=slot").content.decode()
    assert f'value="{first.pk}"' not in html
    taken = post_step(other, registrar, "slot", slot=str(first.pk))
    assert "That date is no longer available" in taken.content.decode()


def test_a_resident_changes_the_time_then_cancels(client, registrar, resident):
    client.force_login(resident)
    book(client, registrar, guest=False)
    booking = Booking.objects.get()
    later = registrar.slot_map[(BIRTH, "Town hall", 6, 10)]
    page = client.get(f"/account/bookings/{booking.uuid}/change/").content.decode()
    assert f'value="{later.pk}"' in page
    # Only the same kind of appointment at the same office is offered.
    assert f'value="{registrar.slot_map[(BIRTH, "Library", 5, 9)].pk}"' not in page
    assert (
        client.post(
            f"/account/bookings/{booking.uuid}/change/", {"slot": str(later.pk)}
        ).status_code
        == 302
    )
    booking.refresh_from_db()
    assert booking.slot == later
    assert client.post(f"/account/bookings/{booking.uuid}/cancel/").status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    texts = list(Case.objects.get().events.values_list("text", flat=True))
    assert any(t.startswith("Booking moved to ") for t in texts)
    assert any(t.endswith("cancelled.") for t in texts)


def test_another_resident_cannot_change_the_booking(
    client, registrar, resident, other_resident
):
    client.force_login(resident)
    book(client, registrar, guest=False)
    booking = Booking.objects.get()
    client.force_login(other_resident)
    assert client.get(f"/account/bookings/{booking.uuid}/change/").status_code == 404
