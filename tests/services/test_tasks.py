"""Outbox delivery: at least once, never twice, through a real Celery worker."""

import datetime
import time

from django.core import mail
from django.test import TestCase
from django.utils import timezone

import pytest
import time_machine
from celery.exceptions import Retry

from services import actions, outbox
from services.models import OutboxEvent
from services.tasks import deliver_outbox, deliver_pending_outbox, flag_overdue_cases
from tests.myaccount.factories import with_two_factor


def wait_until(check, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return check()


@pytest.mark.django_db
def test_running_the_task_again_sends_nothing_more(bin_service, resident):
    case = actions.open_case(service=bin_service, answers={}, resident=resident)
    row = OutboxEvent.objects.get(case=case)
    mail.outbox.clear()
    assert deliver_outbox.apply(args=[row.pk]).get() is True
    assert deliver_outbox.apply(args=[row.pk]).get() is False
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.delivered_at and row.attempts == 1 and row.provider_reference == row.key


@pytest.mark.django_db
def test_sweep_delivers_rows_whose_task_was_lost(bin_service, resident):
    # No on-commit callbacks run inside this test transaction: as if the broker lost them.
    actions.open_case(service=bin_service, answers={}, resident=resident)
    assert len(mail.outbox) == 0
    # A row just written is left to its own task for a moment.
    assert deliver_pending_outbox.apply().get() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        assert deliver_pending_outbox.apply().get() == 1
        assert len(mail.outbox) == 1
        assert deliver_pending_outbox.apply().get() == 0


@pytest.mark.django_db
def test_a_row_being_sent_is_not_sent_again_until_its_claim_expires(
    bin_service, resident, settings
):
    """A worker killed mid-send leaves its claim: nobody resends the row while the
    send may still be in flight, the sweep does once the lease is over."""
    case = actions.open_case(service=bin_service, answers={}, resident=resident)
    row = OutboxEvent.objects.get(case=case)
    assert outbox._claim(row.pk) is not None  # ...and then the worker died
    later = timezone.now() + datetime.timedelta(minutes=1)
    with time_machine.travel(later):
        assert deliver_outbox.apply(args=[row.pk]).get() is False
        assert deliver_pending_outbox.apply().get() == 0
    expired = later + datetime.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    with time_machine.travel(expired):
        assert deliver_pending_outbox.apply().get() == 1
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.delivered_at and row.claimed_at is None and row.attempts == 2


@pytest.mark.django_db
def test_a_row_that_keeps_failing_becomes_a_dead_letter_and_staff_resend_it(
    bin_service, resident, settings
):
    settings.EMAIL_BACKEND = "tests.services.test_tasks.BrokenBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 3
    case = actions.open_case(service=bin_service, answers={}, resident=resident)
    row = OutboxEvent.objects.get(case=case)
    for _ in range(3):
        with pytest.raises(Retry):
            deliver_outbox.apply(args=[row.pk])
    row.refresh_from_db()
    assert row.dead_at is not None and row.attempts == 3
    assert "SMTP down" in row.last_error
    # Never retried again: not by the task, not by the sweep.
    assert deliver_outbox.apply(args=[row.pk]).get() is False
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1)):
        assert deliver_pending_outbox.apply().get() == 0
    assert list(OutboxEvent.objects.dead()) == [row]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks_now():
        assert outbox.resend(rows=OutboxEvent.objects.all(), by=None) == [row.pk]
    row.refresh_from_db()
    assert row.delivered_at is not None and row.dead_at is None
    assert [m.subject for m in mail.outbox] == [
        f"We have received your request {case.reference}"
    ]
    # A delivered row is never resent.
    assert outbox.resend(rows=OutboxEvent.objects.all(), by=None) == []


@pytest.mark.django_db
def test_a_failed_send_is_recorded_and_left_for_a_retry(
    bin_service, resident, settings
):
    settings.EMAIL_BACKEND = "tests.services.test_tasks.BrokenBackend"
    case = actions.open_case(service=bin_service, answers={}, resident=resident)
    row = OutboxEvent.objects.get(case=case)
    with pytest.raises(Retry):
        deliver_outbox.apply(args=[row.pk])
    row.refresh_from_db()
    assert row.delivered_at is None and "SMTP down" in row.last_error


def django_capture_on_commit_callbacks_now():
    return TestCase.captureOnCommitCallbacks(execute=True)


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP down")


@pytest.mark.django_db
def test_beat_job_flags_overdue_cases(bin_service, resident, waste_officer):
    import datetime

    from django.utils import timezone

    case = actions.open_case(service=bin_service, answers={}, resident=resident)
    type(case).objects.filter(pk=case.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=3)
    )
    assert flag_overdue_cases.apply().get() == 1
    assert flag_overdue_cases.apply().get() == 0


@pytest.mark.celery
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_real_worker_sends_exactly_one_email_per_event_even_when_retried(
    celery_app, celery_worker, bin_service, resident, waste_officer
):
    mail.outbox.clear()
    case = actions.open_case(service=bin_service, answers={}, resident=resident)
    actions.add_note(
        case=case, actor=waste_officer, text="Crew is on the way", public=True
    )
    rows = list(OutboxEvent.objects.filter(case=case).values_list("pk", flat=True))
    assert len(rows) == 2
    # The same events delivered again, twice each, as a broker redelivery would.
    for pk in rows:
        deliver_outbox.delay(pk)
        deliver_outbox.delay(pk)
    assert wait_until(
        lambda: (
            OutboxEvent.objects.filter(pk__in=rows, delivered_at__isnull=False).count()
            == 2
        )
    )
    time.sleep(1.5)  # give the duplicate tasks time to (not) send
    assert sorted(m.subject for m in mail.outbox) == sorted(
        [
            f"We have received your request {case.reference}",
            f"An update on your request {case.reference}",
        ]
    )


@pytest.mark.django_db
def test_staff_see_dead_letters_with_their_error_and_resend_them(
    client, bin_service, resident, waste_officer, django_user_model, settings
):
    case = actions.open_case(service=bin_service, answers={}, resident=resident)
    row = OutboxEvent.objects.get(case=case)
    OutboxEvent.objects.filter(pk=row.pk).update(
        attempts=8, dead_at=timezone.now(), last_error="550 mailbox unavailable"
    )
    # Case workers without the permission do not see the outbox.
    client.force_login(waste_officer)
    for response in (
        client.get("/admin/outbox/"),
        client.post("/admin/outbox/resend/", {"rows": [row.pk]}),
    ):  # Wagtail answers "permission denied" with a redirect to the dashboard
        assert response.status_code == 302 and response["Location"] == "/admin/"
    row.refresh_from_db()
    assert row.dead_at is not None

    admin = django_user_model.objects.create_superuser(
        "root", "root@example.com", "pw-root-123"
    )
    with_two_factor(admin)  # staff use the admin only with two-factor turned on
    client.force_login(admin)
    html = client.get("/admin/outbox/").content.decode()
    assert case.reference in html and "550 mailbox unavailable" in html
    assert "1 dead letter." in html
    assert (
        case.reference
        not in client.get("/admin/outbox/?state=delivered").content.decode()
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks_now():
        response = client.post("/admin/outbox/resend/", {"rows": [row.pk, "x"]})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.delivered_at is not None and row.dead_at is None
    assert len(mail.outbox) == 1
    assert (
        case.reference in client.get("/admin/outbox/?state=delivered").content.decode()
    )
