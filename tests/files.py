"""Files for upload tests, built in code: real PDFs (plain or carrying what uploads
refuse) and a decompression-bomb PNG."""

from __future__ import annotations

import io
import struct
import zlib


def pdf(
    *,
    author: str = "",
    text: str = "",
    javascript: bool = False,
    launch: bool = False,
    embedded_file: bool = False,
    encrypted: bool = False,
) -> bytes:
    """A one-page PDF written by pypdf; ``author`` goes in its metadata and
    ``text`` in an uncompressed content stream (so a search of the bytes finds
    them)."""
    from pypdf import PdfWriter
    from pypdf.generic import (
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        TextStringObject,
    )

    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    if text:
        content = DecodedStreamObject()
        content.set_data(f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(content)
    if author:
        writer.add_metadata({"/Author": author})
    if javascript:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('hi')"),
            }
        )
    if launch:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {
                NameObject("/S"): NameObject("/Launch"),
                NameObject("/F"): TextStringObject("calc.exe"),
            }
        )
    if embedded_file:
        writer.add_attachment("payload.html", b"<script>alert(1)</script>")
    if encrypted:
        writer.encrypt("secret", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def html_posing_as_pdf() -> bytes:
    """Starts like a PDF and ends like one; in between, a web page."""
    return (
        b"%PDF-1.7\n<html><body><script>document.write(document.cookie)</script>"
        b"</body></html>\n%%EOF\n"
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_bomb(width: int = 20_000, height: int = 10_000) -> bytes:
    """A PNG whose header claims ``width`` × ``height`` pixels (200 megapixels by
    default) in a few hundred bytes: the first rows of zeros, compressed. Pillow
    calls anything over twice ``Image.MAX_IMAGE_PIXELS`` a decompression bomb."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    rows = zlib.compress(b"\x00" * (width + 1) * 4, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", rows)
        + _chunk(b"IEND", b"")
    )
