"""Virus scanning: the clamd INSTREAM client against a small TCP server replaying
recorded clamd replies, the local EICAR-only scanner, the start-up check, and a
real clamd when one is installed."""

import shutil
import socket
import struct
import subprocess
import threading
import time
from pathlib import Path

from django.core.checks import run_checks

import pytest

from services.integrations.clamav import (
    EICAR,
    ClamdClient,
    LocalVirusScanner,
    VirusScanError,
    get_virus_scanner,
)
from tests.needs import CLAMD, needs_clamd

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "clamd"


class ReplayClamd:
    """A one-reply-per-connection TCP server speaking clamd's INSTREAM framing.

    It reads the command and the length-prefixed chunks up to the zero-length one,
    keeps what it received, then sends the recorded reply."""

    def __init__(
        self, reply: bytes | None, delay: float = 0.0, max_length: int | None = None
    ):
        self.reply = reply
        self.delay = delay
        # Like clamd's StreamMaxLength: past it, reply at once and hang up.
        self.max_length = max_length
        self.received: list[tuple[bytes, bytes]] = []
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def _read(self, conn, size: int) -> bytes:
        data = b""
        while len(data) < size:
            part = conn.recv(size - len(data))
            if not part:
                raise ConnectionError("client went away")
            data += part
        return data

    def _serve(self):
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            with conn:
                try:
                    command = self._read(conn, len(b"zINSTREAM\0"))
                    body = b""
                    while True:
                        (length,) = struct.unpack("!L", self._read(conn, 4))
                        if length == 0:
                            break
                        body += self._read(conn, length)
                        if self.max_length is not None and len(body) > self.max_length:
                            conn.sendall(self.reply)
                            raise ConnectionError("stream too long: hung up")
                    self.received.append((command, body))
                    time.sleep(self.delay)
                    if self.reply is not None:
                        conn.sendall(self.reply)
                except (ConnectionError, OSError):
                    pass

    def close(self):
        self.sock.close()


@pytest.fixture
def replay():
    servers = []

    def start(
        name: str | None, delay: float = 0.0, max_length: int | None = None
    ) -> ReplayClamd:
        reply = (FIXTURES / f"{name}.bin").read_bytes() if name else None
        servers.append(ReplayClamd(reply, delay, max_length))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def test_clean_file_is_streamed_in_chunks_and_passes(replay):
    server = replay("ok")
    data = bytes(range(256)) * 1000  # 256 KB: several 64 KB chunks
    result = ClamdClient(server.url, timeout=5).scan(data)
    assert result.clean and result.signature == ""
    assert server.received == [(b"zINSTREAM\0", data)]


def test_infected_file_names_its_signature(replay):
    server = replay("found")
    result = ClamdClient(server.url, timeout=5).scan(EICAR)
    assert not result.clean
    assert result.signature == "Eicar-Test-Signature.UNOFFICIAL"


def test_clamd_error_reply_means_not_scanned(replay):
    server = replay("error")
    with pytest.raises(VirusScanError, match="size limit exceeded"):
        ClamdClient(server.url, timeout=5).scan(b"x" * 10)


def test_a_stream_clamd_refuses_midway_still_gets_its_reply(replay):
    """clamd answers "size limit exceeded" and hangs up while the rest of a large
    upload is still being sent: the refusal is reported as such, not as clamd
    being unreachable."""
    server = replay("error", max_length=64 * 1024)
    for _ in range(5):
        with pytest.raises(VirusScanError, match="size limit exceeded"):
            ClamdClient(server.url, timeout=5).scan(b"x" * (16 * 1024 * 1024))


def test_unreachable_or_silent_clamd_means_not_scanned(replay):
    free = socket.create_server(("127.0.0.1", 0))
    port = free.getsockname()[1]
    free.close()
    with pytest.raises(VirusScanError, match="unreachable"):
        ClamdClient(f"tcp://127.0.0.1:{port}", timeout=2).scan(b"data")
    silent = replay(None, delay=3)
    started = time.monotonic()
    with pytest.raises(VirusScanError):
        ClamdClient(silent.url, timeout=0.5).scan(b"data")
    assert time.monotonic() - started < 2.5


def test_local_scanner_rejects_only_the_eicar_string():
    scanner = LocalVirusScanner()
    assert scanner.scan(b"%PDF-1.4 harmless").clean
    assert not scanner.scan(b"prefix " + EICAR + b" suffix").clean


def test_scanner_is_chosen_by_clamd_url(settings):
    settings.CLAMD_URL = ""
    assert isinstance(get_virus_scanner(), LocalVirusScanner)
    settings.CLAMD_URL = "tcp://clamd.internal:3310"
    scanner = get_virus_scanner()
    assert isinstance(scanner, ClamdClient)
    assert (scanner.host, scanner.port) == ("clamd.internal", 3310)


def test_malformed_clamd_url_fails_start_up(settings):
    settings.CLAMD_URL = "clamd.internal:3310"
    assert "services.E004" in [e.id for e in run_checks()]
    settings.CLAMD_URL = "tcp://127.0.0.1:3310"
    assert "services.E004" not in [e.id for e in run_checks()]


@pytest.fixture(scope="module")
def real_clamd(tmp_path_factory):
    """clamd on a database holding only the EICAR signature (no signature
    downloads are possible here)."""
    needs_clamd()
    root = tmp_path_factory.mktemp("clamd")
    (root / "db").mkdir()
    (root / "db" / "eicar.ndb").write_text(f"Eicar-Test-Signature:0:*:{EICAR.hex()}\n")
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    (root / "clamd.conf").write_text(
        "Foreground yes\n"
        f"TCPSocket {port}\nTCPAddr 127.0.0.1\n"
        f"DatabaseDirectory {root / 'db'}\n"
        f"LogFile {root / 'clamd.log'}\n"
        "StreamMaxLength 1M\n"
        f"PidFile {root / 'clamd.pid'}\n"
        f"{'User root' if shutil.os.geteuid() == 0 else ''}\n"
    )
    proc = subprocess.Popen(
        [CLAMD, "-c", str(root / "clamd.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"clamd exited: {(root / 'clamd.log').read_text()}")
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("clamd did not start in 60 s")
    yield f"tcp://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


def test_real_clamd_gives_the_recorded_replies(real_clamd):
    client = ClamdClient(real_clamd, timeout=10)
    assert client.scan(b"%PDF-1.4 a harmless letter %%EOF").clean
    found = client.scan(b"%PDF-1.4\n" + EICAR + b"\n%%EOF")
    assert not found.clean
    assert found.signature == "Eicar-Test-Signature.UNOFFICIAL"
    with pytest.raises(VirusScanError, match="size limit exceeded"):
        client.scan(b"x" * (2 * 1024 * 1024))


def test_real_clamd_scans_uploads_before_the_pdf_parser(real_clamd, settings):
    """The whole upload check with clamd: a real PDF passes both the scan and the
    parser; the same PDF carrying the test virus is stopped by clamd."""
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from services.uploads import clean_document
    from tests.files import pdf

    settings.CLAMD_URL = real_clamd
    letter = pdf(text="A harmless letter")
    checked = clean_document(SimpleUploadedFile("letter.pdf", letter))
    assert checked.content_type == "application/pdf"
    infected = letter.replace(b"%%EOF", EICAR + b"\n%%EOF")
    with pytest.raises(ValidationError, match="contains a virus"):
        clean_document(SimpleUploadedFile("letter.pdf", infected))
