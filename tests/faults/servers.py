"""Real servers a fault test can stop, cut or make hang, all on this machine.

* ``RedisServer``: a private ``redis-server`` on its own port (6396-6399), started
  and stopped like a real outage.
* ``TcpProxy``: forwards a local port to another (PostgreSQL); ``cut()`` drops every
  connection and refuses new ones until ``restore()``.
* ``HangingServer``: accepts connections and never answers (a hung cluster).
* ``SmtpReceiver``: a small SMTP server that records each message and can hold its
  final reply (a slow provider) so a worker can be killed mid-send.
"""

from __future__ import annotations

import email
import socket
import subprocess
import threading
import time

from tests.needs import needs_program


def wait_for_port(port: int, up: bool = True, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                if up:
                    return
        except OSError:
            if not up:
                return
        time.sleep(0.05)
    raise TimeoutError(f"port {port} not {'up' if up else 'down'}")


class RedisServer:
    def __init__(self, port: int):
        self.port = port
        self.program = needs_program("redis-server", "redis-server")
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.program, "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process:
            self.process.kill()
            self.process.wait(10)
            self.process = None
        wait_for_port(self.port, up=False)


class _Listener:
    def __init__(self, port: int):
        self.port = port
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.running = True
        self.connections: list[socket.socket] = []
        self.accepted = 0
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.accepted += 1
            self.connections.append(conn)
            self.handle(conn)

    def handle(self, conn):
        pass

    def close(self):
        self.running = False
        self.thread.join(2)
        for conn in self.connections:
            try:
                conn.close()
            except OSError:
                pass
        self.sock.close()


class HangingServer(_Listener):
    """Accepts and reads, never answers."""


class TcpProxy:
    def __init__(self, port: int, target_port: int):
        self.port = port
        self.target_port = target_port
        self.listener = None
        self.pipes: list[socket.socket] = []
        self.restore()

    def restore(self) -> None:
        proxy = self

        class Forwarder(_Listener):
            def handle(self, client):
                try:
                    upstream = socket.create_connection(
                        ("127.0.0.1", proxy.target_port), timeout=5
                    )
                except OSError:
                    client.close()
                    return
                proxy.pipes += [client, upstream]
                for a, b in ((client, upstream), (upstream, client)):
                    threading.Thread(target=_pump, args=(a, b), daemon=True).start()

        self.listener = Forwarder(self.port)

    def cut(self) -> None:
        self.listener.close()
        for sock in self.pipes:
            try:
                sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            except OSError:
                pass
        self.pipes = []

    def close(self) -> None:
        self.cut()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for sock in (source, sink):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class SmtpReceiver(_Listener):
    """Records each message; holds the reply to the first ``hold`` messages until
    ``release`` is set (a provider that has the message but has not said so)."""

    def __init__(self, port: int, hold: int = 0):
        self.messages: list[email.message.Message] = []
        self.hold = hold
        self.holding = threading.Event()
        self.release = threading.Event()
        super().__init__(port)

    def handle(self, conn):
        threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _session(self, conn):
        conn.settimeout(60)
        reader = conn.makefile("rb")
        try:
            conn.sendall(b"220 test ESMTP\r\n")
            while line := reader.readline():
                command = line.strip().upper()
                if command.startswith((b"EHLO", b"HELO")):
                    conn.sendall(b"250 test\r\n")
                elif command == b"DATA":
                    conn.sendall(b"354 go ahead\r\n")
                    body = b""
                    while (chunk := reader.readline()) not in (b".\r\n", b""):
                        body += chunk
                    self.messages.append(email.message_from_bytes(body))
                    if len(self.messages) <= self.hold:
                        self.holding.set()
                        self.release.wait(60)
                    conn.sendall(b"250 queued\r\n")
                elif command == b"QUIT":
                    conn.sendall(b"221 bye\r\n")
                    break
                else:
                    conn.sendall(b"250 ok\r\n")
        except OSError:
            pass
        finally:
            conn.close()

    def references(self) -> list[str]:
        return [m["X-Reference"] for m in self.messages]
