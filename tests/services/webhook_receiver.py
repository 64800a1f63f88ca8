"""A real HTTP receiver on 127.0.0.1 for webhook tests: a thread running
``http.server`` that records every request and answers 500 while ``failing``."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook, WebhookVerificationError


@dataclass
class Received:
    headers: dict
    body: bytes
    # The secrets (of ``Receiver.secrets``) whose signature the reference
    # library accepted when the request arrived (it refuses old timestamps).
    verified_with: list[str] = field(default_factory=list)


@dataclass
class Receiver:
    url: str = ""
    failing: bool = False
    status: int = 500
    received: list[Received] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    def by_id(self) -> dict[str, list[Received]]:
        out: dict[str, list[Received]] = {}
        for r in self.received:
            out.setdefault(r.headers["webhook-id"], []).append(r)
        return out


def start() -> Receiver:
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = {k.lower(): v for k, v in self.headers.items()}
            ok = []
            for secret in receiver.secrets:
                try:
                    Webhook(secret).verify(body, headers)
                except WebhookVerificationError:
                    continue
                ok.append(secret)
            receiver.received.append(Received(headers, body, ok))
            code = receiver.status if receiver.failing else 204
            self.send_response(code)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        block_on_close = False

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    receiver.server = server
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    return receiver
