"""The demo's waste crew system: missed-bin reports arrive as crew jobs through
real signed webhooks; a forged message is refused and a repeat is dropped."""

import datetime
import io
import json
import threading
import time

from django.core.management import call_command
from django.db import connections
from django.utils import timezone

import pytest
import requests
from standardwebhooks import Webhook

from services import actions, outbox
from services.crew_receiver import CrewSystem, make_server
from services.enums import CaseStatus
from services.management.commands import crew_receiver
from services.models import OutboxEvent, WebhookSubscription
from services.models.integrations import new_webhook_secret


@pytest.fixture
def crew_system(bin_service):
    sub = WebhookSubscription.objects.create(
        name="Waste crew system (demo)", url="http://127.0.0.1:1/"
    )
    sub.services.add(bin_service)
    crew = CrewSystem(secret=sub.secret)
    lines = []
    server = make_server(crew, "127.0.0.1", 0, log=lines.append)
    sub.url = f"http://127.0.0.1:{server.server_address[1]}/"
    sub.save()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield crew, sub, lines
    server.shutdown()
    server.server_close()


def deliver_webhooks():
    for pk in OutboxEvent.objects.webhooks().pending().values_list("pk", flat=True):
        outbox.deliver(pk)


def signed(secret: str, msg_id: str, body: dict) -> tuple[bytes, dict]:
    raw = json.dumps(body).encode()
    now = timezone.now()
    signature = Webhook(secret).sign(msg_id, now, raw.decode())
    return raw, {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
        "content-type": "application/json",
    }


@pytest.mark.django_db
def test_a_missed_bin_report_becomes_a_crew_job_that_follows_the_case(
    crew_system, bin_service, resident
):
    crew, _, lines = crew_system
    case = actions.open_case(
        service=bin_service,
        answers={},
        resident=resident,
        summary="Recycling (blue bin) not collected",
        address="1 High Street, Guildford",
        postcode="GU1 4AA",
    )
    deliver_webhooks()
    job = crew.jobs[case.reference]
    assert job.status == "to do"
    assert job.where == "1 High Street, Guildford, GU1 4AA"
    assert job.what == "Recycling (blue bin) not collected"
    assert lines[-1].startswith(f"New crew job: {case.reference}")
    actions.change_status(case=case, to_status=CaseStatus.IN_PROGRESS, actor=None)
    actions.change_status(case=case, to_status=CaseStatus.RESOLVED, actor=None)
    deliver_webhooks()
    assert job.status == "done"
    assert job.history == ["case.status_changed", "case.status_changed", "case.closed"]
    assert all(row.response_code == 204 for row in OutboxEvent.objects.webhooks())


@pytest.mark.django_db
def test_a_forged_message_is_refused_and_a_repeat_is_dropped(crew_system):
    crew, sub, _ = crew_system
    body = {
        "type": "case.created",
        "timestamp": timezone.now().isoformat(),
        "data": {"case": {"reference": "BIN-2026-999999", "service": "BIN"}},
    }
    raw, headers = signed(new_webhook_secret(), "msg_forged", body)
    response = requests.post(sub.url, data=raw, headers=headers, timeout=5)
    assert response.status_code == 401
    assert crew.jobs == {} and crew.refused == 1
    raw, headers = signed(sub.secret, "msg_1", body)
    for _ in range(3):
        assert requests.post(sub.url, data=raw, headers=headers, timeout=5).ok
    assert list(crew.jobs) == ["BIN-2026-999999"]
    assert crew.duplicates == 2
    # An old, replayed signature is refused by the reference library.
    stale = timezone.now() - datetime.timedelta(hours=1)
    old_headers = headers | {
        "webhook-id": "msg_2",
        "webhook-timestamp": str(int(stale.timestamp())),
        "webhook-signature": Webhook(sub.secret).sign("msg_2", stale, raw.decode()),
    }
    response = requests.post(sub.url, data=raw, headers=old_headers, timeout=5)
    assert response.status_code == 401


# The command itself, as ``make crew-receiver`` runs it


class Output(io.StringIO):
    """The command's output, read while it runs in another thread."""

    def wait_for(self, text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while text not in self.getvalue():
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not in:\n{self.getvalue()}")
            time.sleep(0.05)
        return self.getvalue()


@pytest.fixture
def crew_command(bin_service):
    """``manage.py crew_receiver --port 0`` running in a thread until the test
    stops it (as Ctrl-C would)."""
    out = Output()
    command = crew_receiver.Command(stdout=out)

    def run():
        try:
            call_command(command, "--port", "0")
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    out.wait_for("listening on")

    def stop():
        command.server.shutdown()
        thread.join(timeout=30)
        assert not thread.is_alive()

    yield out, stop
    if thread.is_alive():
        stop()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_command_subscribes_itself_and_reports_each_missed_bin_as_a_crew_job(
    crew_command, bin_service, resident
):
    out, stop = crew_command
    sub = WebhookSubscription.objects.get(name="Waste crew system (demo)")
    assert sub.active and list(sub.services.all()) == [bin_service]
    assert f"listening on {sub.url} for Missed bin collection" in out.getvalue()

    # A resident reports a missed bin: the outbox signs and sends the webhook.
    case = actions.open_case(
        service=bin_service,
        answers={},
        resident=resident,
        summary="Recycling (blue bin) not collected",
        address="1 High Street, Guildford",
        postcode="GU1 4AA",
    )
    deliver_webhooks()
    out.wait_for(
        f"New crew job: {case.reference} [to do] Recycling (blue bin) not "
        "collected at 1 High Street, Guildford, GU1 4AA"
    )
    row = OutboxEvent.objects.webhooks().get(case=case)
    assert row.delivered_at is not None and row.response_code == 204

    actions.change_status(case=case, to_status=CaseStatus.IN_PROGRESS, actor=None)
    deliver_webhooks()
    out.wait_for(f"Job updated: {case.reference} [in_progress]")

    # A message signed with any other secret is refused and makes no job.
    body = {
        "type": "case.created",
        "timestamp": timezone.now().isoformat(),
        "data": {"case": {"reference": "BIN-2026-999999", "service": "BIN"}},
    }
    raw, headers = signed(new_webhook_secret(), "msg_forged", body)
    assert requests.post(sub.url, data=raw, headers=headers, timeout=5).status_code == (
        401
    )
    out.wait_for("Refused: the signature does not verify")
    assert "BIN-2026-999999" not in out.getvalue()

    stop()
    assert (
        out.getvalue()
        .rstrip()
        .endswith(
            "Stopped: 1 jobs, 0 repeats dropped, 1 forged messages refused. "
            "Subscription switched off."
        )
    )
    sub.refresh_from_db()
    assert not sub.active
