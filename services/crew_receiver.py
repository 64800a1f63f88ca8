"""The demo's waste crew system: a small webhook receiver that turns missed-bin
cases into crew jobs (``manage.py crew_receiver``).

It stands in for the council's waste back office, and shows what any receiver
must do with our webhooks (docs/api.md): verify the Standard Webhooks signature
with the subscription's secret (a forged or altered message is refused with 401
and does nothing), drop a message it has already handled by its ``webhook-id``
(deliveries are at least once), and answer 2xx quickly. A ``case.created`` of a
missed bin becomes a job; a status change or closure updates the job.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook, WebhookVerificationError

MAX_BODY_BYTES = 64 * 1024


@dataclass
class CrewJob:
    reference: str
    where: str
    what: str
    status: str
    history: list[str] = field(default_factory=list)

    def line(self) -> str:
        return f"{self.reference} [{self.status}] {self.what} at {self.where}"


@dataclass
class CrewSystem:
    """What the crew system keeps: its jobs, and the message ids it has seen."""

    secret: str
    jobs: dict[str, CrewJob] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    refused: int = 0
    duplicates: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def receive(self, body: bytes, headers: dict) -> tuple[int, str]:
        """Handle one POST; the HTTP status to answer and a line for the log."""
        headers = {k.lower(): v for k, v in headers.items()}
        try:
            message = Webhook(self.secret).verify(body, headers)
        except WebhookVerificationError:
            with self.lock:
                self.refused += 1
            return 401, "Refused: the signature does not verify"
        with self.lock:
            msg_id = headers.get("webhook-id", "")
            if msg_id in self.seen:
                self.duplicates += 1
                return 204, f"Already handled {msg_id}"
            self.seen.add(msg_id)
            return 204, self._apply(message)

    def _apply(self, message: dict) -> str:
        kind = message.get("type", "")
        case = (message.get("data") or {}).get("case") or {}
        reference = case.get("reference", "")
        if kind == "case.created" and case.get("service") == "BIN":
            job = CrewJob(
                reference=reference,
                where=", ".join(
                    p for p in (case.get("address"), case.get("postcode")) if p
                )
                or case.get("location_description")
                or "no address given",
                what=case.get("summary") or case.get("category") or "Missed bin",
                status="to do",
            )
            self.jobs[reference] = job
            return f"New crew job: {job.line()}"
        job = self.jobs.get(reference)
        if job is None:
            return f"Ignored {kind} for {reference or 'no case'}"
        if kind == "case.closed":
            job.status = "done"
        elif kind == "case.status_changed":
            job.status = case.get("status", job.status)
        job.history.append(kind)
        return f"Job updated: {job.line()}"


def make_server(crew: CrewSystem, host: str, port: int, log=print):
    """An HTTP server feeding ``crew``; ``serve_forever()`` it, or run it in a
    thread. Bodies over ``MAX_BODY_BYTES`` are refused unread."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if not 0 < length <= MAX_BODY_BYTES:
                status, text = 413, "Refused: no body, or too large"
            else:
                body = self.rfile.read(length)
                status, text = crew.receive(body, dict(self.headers.items()))
            log(text)
            payload = json.dumps({"detail": text}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    return ThreadingHTTPServer((host, port), Handler)
