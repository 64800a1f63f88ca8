"""Payment and booking steps for editor-built forms: the amount is the
editor's price (fixed, a price list item, or per unit of an earlier answer),
never the browser's; the booking step offers only free slots and holds the
chosen place; once the case is open a free booking is confirmed at once and a
charged one is confirmed by its payment."""

from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

import pytest

from services import actions
from services.blocks.pay_steps import (
    BookingStepBlock,
    PaymentStepBlock,
    after_case_opened,
)
from services.models import Booking, BookingStatus, Payment
from services.payments import actions as payments
from tests.factories.bookings import make_bulky_prices, make_calendar, make_slot

pytestmark = pytest.mark.django_db

PAY = PaymentStepBlock()
BOOK = BookingStepBlock()


def pay_value(**kwargs):
    return PAY.to_python(
        {"label": "Payment", "hint": "", "mode": "fixed", "amount": "0"} | kwargs
    )


def test_the_amount_is_the_editors_price_in_each_mode():
    fixed = pay_value(amount="35.50")
    assert PAY.amount_due(fixed, {"answer": True}, {}) == 3550
    listed = pay_value(mode="price_list", price_list=make_bulky_prices().pk)
    assert PAY.amount_due(listed, {"answer": "fridge"}, {}) == 3500
    assert PAY.amount_due(listed, {"answer": "forged"}, {}) == 0
    per_bin = pay_value(mode="per_answer", amount="26", quantity_question="How many?")
    assert PAY.amount_due(per_bin, {"answer": True}, {"How many?": "3"}) == 7800
    assert PAY.amount_due(per_bin, {"answer": True}, {"How many?": "lots"}) == 0


def test_the_payment_step_asks_the_resident_to_confirm_or_choose():
    form = PAY.form_class(pay_value(amount="10"))(data={})
    assert not form.is_valid()
    assert "Confirm that you will pay by card" in str(form.errors)
    listed = pay_value(mode="price_list", price_list=make_bulky_prices().pk)
    form = PAY.form_class(listed)(data={"answer": "sofa"})
    assert form.is_valid() and "Sofa (£25.00)" in str(form["answer"])


def booking_value(calendar):
    return BOOK.to_python(
        {"label": "Choose a date", "hint": "", "calendar": calendar.pk}
    )


def request_for(user=None):
    request = RequestFactory().post("/form/")
    request.user = user or AnonymousUser()
    return request


def test_the_booking_step_offers_free_slots_and_holds_the_chosen_place():
    calendar = make_calendar()
    free = make_slot(calendar, days_ahead=5, capacity=1)
    full = make_slot(calendar, days_ahead=6, capacity=1)
    Booking.objects.create(slot=full, status=BookingStatus.CONFIRMED)
    value = booking_value(calendar)
    form = BOOK.form_class(value)(data={"answer": str(full.pk)})
    assert not form.is_valid()  # a full slot is not on offer
    form = BOOK.form_class(value)(data={"answer": str(free.pk)})
    assert form.is_valid()
    state = {"answers": {"q1": {"answer": str(free.pk)}}}
    BOOK.clean_answer(value, form, request_for(), state, "q1")
    hold = Booking.objects.get(uuid=state["hold"])
    assert hold.slot == free and hold.is_live_hold
    assert BOOK.display(value, state["answers"]["q1"]) == free.date_label + (
        f", {free.time_label}"
    )


def test_a_charged_booking_is_confirmed_by_its_payment(bin_service, resident):
    calendar = make_calendar()
    slot = make_slot(calendar, capacity=2)
    book, pay = booking_value(calendar), pay_value(amount="20")
    state = {"answers": {"q1": {"answer": str(slot.pk)}, "q2": {"answer": True}}}
    form = BOOK.form_class(book)(data={"answer": str(slot.pk)})
    assert form.is_valid()
    BOOK.clean_answer(book, form, request_for(resident), state, "q1")
    case = actions.open_case(service=bin_service, answers={}, resident=resident)
    questions = [
        ("q1", SimpleNamespace(block=BOOK, value=book)),
        ("q2", SimpleNamespace(block=PAY, value=pay)),
    ]
    after_case_opened(questions, case, state, request_for(resident), answers={})
    payment = Payment.objects.get()
    assert payment.amount == 2000 and case.pending_payment == payment
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.HELD and booking.case == case
    payment.sandbox_state = {"status": "success"}
    payment.save()
    payments.sync_payment(payment=payment)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_a_free_booking_is_confirmed_at_once(bin_service, resident):
    calendar = make_calendar()
    slot = make_slot(calendar, capacity=2)
    book = booking_value(calendar)
    state = {"answers": {"q1": {"answer": str(slot.pk)}}}
    form = BOOK.form_class(book)(data={"answer": str(slot.pk)})
    assert form.is_valid()
    BOOK.clean_answer(book, form, request_for(resident), state, "q1")
    case = actions.open_case(service=bin_service, answers={}, resident=resident)
    questions = [("q1", SimpleNamespace(block=BOOK, value=book))]
    after_case_opened(questions, case, state, request_for(resident), answers={})
    assert not Payment.objects.exists()
    assert Booking.objects.get().status == BookingStatus.CONFIRMED


def test_a_resident_books_and_pays_through_a_form_an_editor_built(
    client, home_page, bin_service, resident, django_capture_on_commit_callbacks
):
    """The whole journey: a question, a booking step and a fixed charge placed by
    an editor; the card page after check answers; the confirmation says what was
    booked and paid."""
    import re

    from services.blocks.transactions import STEP_FIELD, TRANSACTION_FIELD
    from services.models import Case, PaymentStatus
    from tests.factories.services import (
        ServiceLandingPageFactory,
        ServicePageFactory,
    )
    from tests.services.conftest import block_id, journey

    calendar = make_calendar()
    slot = make_slot(calendar, capacity=1)
    landing = ServiceLandingPageFactory(parent=home_page, title="Forms", slug="forms")
    page = ServicePageFactory(parent=landing, title="Hire the hall", slug="hall")
    page.body = [
        (
            "form_service",
            {
                "service": bin_service,
                "heading": "",
                "intro": "",
                "questions": [
                    ("text", {"label": "What is the event?", "required": True}),
                    ("booking", {"label": "Choose a date", "calendar": calendar}),
                    ("payment", {"label": "Payment", "mode": "fixed", "amount": "20"}),
                ],
            },
        )
    ]
    page.save_revision().publish()
    page.refresh_from_db()
    questions = next(b for b in page.body if b.block_type == "form_service").value[
        "questions"
    ]
    event, date, payment = (f"q-{question.id}" for question in questions)
    url = journey(page)
    form_id = block_id(page, "form_service")

    def post(step, **data):
        return client.post(url, {TRANSACTION_FIELD: form_id, STEP_FIELD: step, **data})

    client.force_login(resident)
    post(event, answer="Quiz night")
    post(date, answer=str(slot.pk))
    refused = post(payment)  # the charge must be acknowledged
    assert "Confirm that you will pay by card" in refused.content.decode()
    post(payment, answer="on")
    check = client.get(url + "?step=check").content.decode()
    assert "£20.00" in check or "Card payment" in check
    assert slot.date_label in check
    token = re.search(r'name="token" value="([0-9a-f-]+)"', check).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        to_card = post("check", token=token)
    paid = Payment.objects.get()
    assert to_card.url == paid.next_url and paid.amount == 2000
    assert Booking.objects.get().status == BookingStatus.HELD
    card = client.post(
        paid.next_url,
        {
            "card_number": "4444333322221111",
            "expiry": "12/35",
            "name": "Sam Resident",
            "security_code": "123",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        back = client.get(card.url)
    done = client.get(back.url).content.decode()
    paid.refresh_from_db()
    assert paid.status == PaymentStatus.SUCCESS
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.CONFIRMED and booking.slot == slot
    case = Case.objects.get()
    assert booking.case == case and case.answers["Choose a date"]
    assert "Booking confirmed" in done and case.reference in done
    assert "£20.00" in done
