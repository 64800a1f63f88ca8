"""Bookings: holds take capacity and lapse on their own, confirming takes the
hold, cut-off, blackout days, rounds, a month's slot search in a fixed number of
queries, and the last place under 50 concurrent residents on PostgreSQL."""

import datetime
import os
import threading

from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
import time_machine

from services import actions
from services.bookings import actions as bookings
from services.models import BlackoutDay, Booking, BookingStatus, Round, Slot
from tests.factories.bookings import make_calendar, make_round, make_slot
from tests.needs import needs_postgres


@pytest.fixture
def calendar(db):
    return make_calendar()


@pytest.fixture
def case(bin_service, resident):
    return actions.open_case(service=bin_service, answers={}, resident=resident)


def test_a_hold_takes_the_last_place_until_it_lapses(calendar):
    slot = make_slot(calendar, capacity=1)
    bookings.hold_slot(slot=slot)
    with pytest.raises(bookings.SlotFull):
        bookings.hold_slot(slot=slot)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31)):
        again = bookings.hold_slot(slot=slot)  # the first hold lapsed by itself
    assert again.status == BookingStatus.HELD


def test_confirming_takes_the_hold_once(calendar, case):
    slot = make_slot(calendar, capacity=1)
    held = bookings.hold_slot(slot=slot)
    bookings.confirm_booking(booking=held, case=case)
    bookings.confirm_booking(booking=held, case=case)
    held.refresh_from_db()
    assert held.status == BookingStatus.CONFIRMED and held.case == case
    assert case.events.filter(text__startswith="Booked for").count() == 1
    with pytest.raises(bookings.SlotFull):
        bookings.hold_slot(slot=slot)


def test_a_lapsed_hold_confirms_only_if_a_place_is_left(calendar, case):
    slot = make_slot(calendar, capacity=1)
    first = bookings.hold_slot(slot=slot)
    later = timezone.now() + datetime.timedelta(minutes=40)
    with time_machine.travel(later):
        bookings.hold_slot(slot=slot)
        with pytest.raises(bookings.SlotFull):
            bookings.confirm_booking(booking=first, case=case)
    roomy = make_slot(calendar, capacity=2, days_ahead=8)
    second = bookings.hold_slot(slot=roomy)
    with time_machine.travel(later):
        assert bookings.confirm_booking(booking=second, case=case).status == "confirmed"


def test_no_booking_or_resident_cancellation_after_the_cut_off(
    calendar, case, waste_officer
):
    slot = make_slot(calendar, capacity=3, days_ahead=2)
    booking = bookings.confirm_booking(booking=bookings.hold_slot(slot=slot), case=case)
    near = slot.starts_at - datetime.timedelta(hours=23)
    with time_machine.travel(near):
        with pytest.raises(bookings.PastCutoff):
            bookings.hold_slot(slot=slot)
        with pytest.raises(bookings.PastCutoff):
            bookings.cancel_booking(booking=booking)
        bookings.cancel_booking(booking=booking, actor=waste_officer, by_staff=True)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert case.events.filter(text__contains="cancelled").exists()


def test_blackout_days_have_no_slots(calendar):
    slot = make_slot(calendar, days_ahead=5)
    BlackoutDay.objects.create(
        date=timezone.localtime(slot.starts_at).date(), reason="Bank holiday"
    )
    today = timezone.localdate()
    found = bookings.available_slots(
        calendar=calendar, start=today, end=today + datetime.timedelta(days=30)
    )
    assert slot not in found
    with pytest.raises(bookings.SlotFull):
        bookings.hold_slot(slot=slot)


def test_the_round_comes_from_the_uprn_else_the_longest_postcode_prefix(calendar):
    district = make_round(calendar, "Guildford", prefixes="GU1")
    sector = make_round(calendar, "Guildford east", prefixes="GU1 4\nGU2")
    farm = make_round(calendar, "Farms", prefixes="", uprns="100061999999")
    rounds = Round.objects.filter(calendar=calendar)
    assert rounds.for_address(postcode="gu1 2ab") == district
    assert rounds.for_address(postcode="GU1 4AA") == sector
    assert rounds.for_address(postcode="GU1 4AA", uprn="100061999999") == farm
    assert rounds.for_address(postcode="KT1 1AA") is None


def test_search_offers_only_the_round_s_slots_with_places_left(calendar):
    north, south = make_round(calendar, "North"), make_round(calendar, "South", "GU2")
    mine = make_slot(calendar, round=north, capacity=1, days_ahead=3)
    full = make_slot(calendar, round=north, capacity=1, days_ahead=4)
    make_slot(calendar, round=south, days_ahead=3)
    too_soon = make_slot(calendar, round=north, days_ahead=0, hour=23)
    bookings.hold_slot(slot=full)
    today = timezone.localdate()
    found = bookings.available_slots(
        calendar=calendar,
        round=north,
        start=today,
        end=today + datetime.timedelta(days=30),
    )
    assert found == [mine]
    assert too_soon not in found


@pytest.mark.parametrize("days", [5, 50])
def test_a_month_of_slots_is_found_in_a_fixed_number_of_queries(calendar, days):
    north = make_round(calendar)
    start = timezone.localdate() + datetime.timedelta(days=2)
    bookings.generate_slots(
        calendar=calendar,
        round=north,
        start=start,
        days=days,
        times=[
            (datetime.time(7), datetime.time(12)),
            (datetime.time(12), datetime.time(17)),
        ],
        capacity=3,
    )
    for slot in Slot.objects.all()[:4]:
        bookings.hold_slot(slot=slot)
    with CaptureQueriesContext(connection) as queries:
        rounds = Round.objects.filter(calendar=calendar)
        found = bookings.available_slots(
            calendar=calendar,
            round=rounds.for_address(postcode="GU1 1AA"),
            start=start,
            end=start + datetime.timedelta(days=31),
        )
        [(s.date_label, s.time_label) for s in found]
    assert found
    assert len(queries) <= 10
    assert len(queries) == 3, [q["sql"] for q in queries]


RACE_ROUNDS = int(os.environ.get("BOOKING_RACE_ROUNDS", "20"))
RACERS = 50


# serialized_rollback: the flush after a transactional test would otherwise take
# the rows migrations made (the default site, groups) from the tests after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_residents_racing_for_the_last_place_make_exactly_one_booking():
    needs_postgres("row locks decide the race")
    calendar = make_calendar(slug="race")
    oversold = 0
    winners_per_round = []
    for _ in range(RACE_ROUNDS):
        slot = make_slot(calendar, capacity=1)
        barrier = threading.Barrier(RACERS)
        results = []

        def race(barrier=barrier, slot=slot, results=results):
            try:
                barrier.wait(timeout=30)
                bookings.hold_slot(slot=slot.pk)
                results.append("booked")
            except bookings.SlotFull:
                results.append("full")
            finally:
                close_old_connections()
                connection.close()

        threads = [threading.Thread(target=race) for _ in range(RACERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        live = Booking.objects.filter(slot=slot).live().count()
        winners_per_round.append(results.count("booked"))
        oversold += max(0, live - 1)
        assert results.count("booked") == 1 and live == 1, results
    print(
        f"\nlast-place race: {RACE_ROUNDS} rounds x {RACERS} residents; "
        f"bookings per round {sorted(set(winners_per_round))}; oversold {oversold}"
    )
    assert oversold == 0


def test_the_upcoming_booking_segment_rule_matches_a_resident_with_a_booking(
    calendar, case, resident, rf, settings
):
    from services.models import UpcomingBookingRule

    def request():
        made = rf.get("/")
        made.COOKIES[settings.SESSION_COOKIE_NAME] = "signed-in"
        made.user = resident
        return made

    rule = UpcomingBookingRule(days=14, kind="bulky")
    assert not rule.test_user(request())
    slot = make_slot(calendar, days_ahead=5)
    bookings.confirm_booking(booking=bookings.hold_slot(slot=slot), case=case)
    assert rule.test_user(request())
    assert not UpcomingBookingRule(days=3, kind="bulky").test_user(request())
    assert not UpcomingBookingRule(days=14, kind="registrar").test_user(request())
