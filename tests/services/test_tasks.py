"""Outbox delivery: at least once, never twice, through a real Celery worker."""

import os
import time

from django.core import mail

import pytest
from celery.exceptions import Retry

from services import actions
from services.models import OutboxEvent
from services.tasks import deliver_outbox, deliver_pending_outbox, flag_overdue_cases


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
    assert deliver_pending_outbox.apply().get() == 1
    assert len(mail.outbox) == 1
    assert deliver_pending_outbox.apply().get() == 0


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
@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="needs REDIS_URL: the worker runs on the Redis broker",
)
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
