"""Virus scanning of uploads: ClamAV's clamd over TCP, or a local demo scanner.

``get_virus_scanner()`` chooses by ``CLAMD_URL``: with ``tcp://host:3310`` every
upload is streamed to clamd with its ``INSTREAM`` command (timeout
``CLAMD_TIMEOUT_SECONDS``); without it a local scanner rejects only the EICAR test
string, so the "infected file" path can be shown on a laptop.

The INSTREAM protocol (clamd(8)): send ``zINSTREAM\\0``, then the file as chunks,
each prefixed by its length as a 4-byte big-endian unsigned integer, then a
zero-length chunk. clamd answers one NUL-terminated line:

* ``stream: OK`` — clean;
* ``stream: Eicar-Test-Signature FOUND`` — infected, with the signature name;
* ``INSTREAM size limit exceeded. ERROR`` (or any ``… ERROR``) — not scanned.

A scan that fails (clamd down, timeout, an ERROR reply) raises
``VirusScanError``: the upload is refused rather than stored unchecked.

The ``clamav-client`` package speaks the same protocol; this module is a few lines
of ``socket`` so its timeouts and typed errors match the other adapters.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

CHUNK_BYTES = 64 * 1024
# The 68-byte EICAR anti-virus test file: harmless, recognised by every scanner.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class VirusScanError(Exception):
    """The file could not be scanned (scanner unreachable, timed out or failed)."""


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str = ""


class VirusScanner:
    """What every scanner offers."""

    def scan(self, data: bytes) -> ScanResult:
        raise NotImplementedError


def parse_clamd_url(url: str) -> tuple[str, int]:
    """``tcp://host:port`` → ``(host, port)``; ``ValueError`` when malformed."""
    parts = urlsplit(url)
    if parts.scheme != "tcp" or not parts.hostname:
        raise ValueError("CLAMD_URL must look like tcp://127.0.0.1:3310")
    return parts.hostname, parts.port or 3310


def parse_reply(reply: bytes) -> ScanResult:
    """Turn one clamd INSTREAM reply into a result, or raise ``VirusScanError``."""
    text = reply.rstrip(b"\0\n").decode("utf-8", "replace").strip()
    _, _, verdict = text.partition(": ")
    verdict = verdict or text
    if verdict == "OK":
        return ScanResult(clean=True)
    if verdict.endswith(" FOUND"):
        return ScanResult(clean=False, signature=verdict[: -len(" FOUND")])
    raise VirusScanError(f"clamd: {text or 'empty reply'}")


class ClamdClient(VirusScanner):
    """clamd over TCP, one connection per scan."""

    def __init__(self, url: str, timeout: float):
        self.host, self.port = parse_clamd_url(url)
        self.timeout = timeout

    def scan(self, data: bytes) -> ScanResult:
        try:
            with socket.create_connection(
                (self.host, self.port), timeout=self.timeout
            ) as sock:
                try:
                    self._send(sock, data)
                except (BrokenPipeError, ConnectionResetError):
                    # clamd refuses a stream over its StreamMaxLength by replying at
                    # once and hanging up while the rest is still being sent: its
                    # reply is waiting to be read.
                    reply = self._read(sock)
                    if not reply:
                        raise
                    return parse_reply(reply)
                reply = self._read(sock)
        except OSError as exc:  # refused, reset, timed out
            raise VirusScanError(f"clamd unreachable: {exc}") from exc
        return parse_reply(reply)

    @staticmethod
    def _send(sock, data: bytes) -> None:
        sock.sendall(b"zINSTREAM\0")
        for start in range(0, len(data), CHUNK_BYTES):
            chunk = data[start : start + CHUNK_BYTES]
            sock.sendall(struct.pack("!L", len(chunk)) + chunk)
        sock.sendall(struct.pack("!L", 0))

    @staticmethod
    def _read(sock) -> bytes:
        """The reply up to its closing NUL, or what arrived before clamd hung up."""
        reply = b""
        while not reply.endswith(b"\0"):
            try:
                part = sock.recv(4096)
            except ConnectionResetError:
                break
            if not part:
                break
            reply += part
        return reply


class LocalVirusScanner(VirusScanner):
    """Demo scanner: finds the EICAR test string and nothing else."""

    def scan(self, data: bytes) -> ScanResult:
        if EICAR in data:
            return ScanResult(clean=False, signature="Eicar-Test-Signature")
        return ScanResult(clean=True)


def get_virus_scanner() -> VirusScanner:
    if settings.CLAMD_URL:
        return ClamdClient(settings.CLAMD_URL, timeout=settings.CLAMD_TIMEOUT_SECONDS)
    return LocalVirusScanner()
