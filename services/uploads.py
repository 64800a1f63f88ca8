"""Files residents upload, checked on the server: size, viruses, type by content.

The browser's file name and content type are never trusted. Every upload is:

1. refused when larger than the limit (before it is read);
2. scanned for viruses (``services.integrations.clamav``: clamd, or the local
   EICAR-only scanner); an infected file, or one that could not be scanned, is
   refused and nothing is stored;
3. recognised from its bytes: Pillow must decode a JPEG, PNG or WebP image (re-encoded
   from its pixels, which drops EXIF, including the GPS location a phone records,
   and anything hidden after the image data; an image over ``MAX_PIXELS``, or one
   Pillow calls a decompression bomb, is a form error), or, for documents, pypdf
   must parse a PDF (``check_pdf``: no encryption, no JavaScript, launch or
   form-submission actions, no embedded files, nothing after the end of the file).

A stored file is named by a random token and the extension of the type found, never
by the client's name; the client's name is kept only as a display label for staff
(``display_label``: no folders, control or bidirectional-override characters).

Every file (street-problem photos and form attachments alike) goes to the private
``case_uploads`` storage (``STORAGES["case_uploads"]``, outside ``MEDIA_ROOT``), one
folder per day and journey, and becomes a ``CaseAttachment`` when the case is
opened. Files of journeys nobody finished are swept
(``services.retention.sweep_abandoned_uploads``). Staff who can see the case download
them through ``services.attachment_views``, never from a public URL.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from PIL import Image, ImageOps, UnidentifiedImageError

from services.integrations.clamav import VirusScanError, get_virus_scanner

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
}
MAX_PIXELS = 40_000_000
UPLOADS_STORAGE = "case_uploads"
UPLOADS_FOLDER = "uploads"
LABEL_LENGTH = 100

# What a PDF may not hold: anything that runs (JavaScript, launching a program),
# sends data away (form submission, data import), carries other files, or is an XFA
# form (which can script). Links to web pages (``/URI``) stay allowed: letters and
# statements have them.
PDF_FORBIDDEN_KEYS = frozenset(
    ("/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/XFA", "/RichMedia")
)
PDF_FORBIDDEN_ACTIONS = frozenset(
    (
        "/JavaScript",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/RichMediaExecute",
        "/GoToE",
    )
)
PDF_FORBIDDEN_TYPES = frozenset(("/EmbeddedFile", "/Filespec"))
PDF_MAX_OBJECTS = 100_000


def max_bytes() -> int:
    return settings.CASE_PHOTO_MAX_BYTES


def _megabytes(limit: int) -> str:
    return f"{limit // (1024 * 1024)}MB" if limit >= 1024 * 1024 else f"{limit} bytes"


def display_label(name: str) -> str:
    """The client's file name as a label staff can read, never as a path.

    Only the last path part is kept; control and format characters go (among them
    the right-to-left override that makes ``invoice‮fdp.exe`` read as
    ``invoiceexe.pdf``); spaces are collapsed; at most ``LABEL_LENGTH`` characters.
    """
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = " ".join(name.split()).strip(" .")
    return name[:LABEL_LENGTH] or "file"


def download_name(label: str, extension: str) -> str:
    """A safe file name for a download: the label's stem (letters, digits, ``-``
    and ``_``) and the extension of the type that was detected, whatever
    extension the client gave (``evidence.html`` holding a PDF → ``evidence.pdf``)."""
    stem = display_label(label)
    if "." in stem:
        stem = stem.rsplit(".", 1)[0]
    stem = re.sub(r"[^\w\-]+", "-", stem)
    stem = re.sub(r"-{2,}", "-", stem).strip("-_")[:60] or "file"
    return f"{stem}.{extension}" if extension else stem


def _read_checked(upload, *, limit: int) -> bytes:
    """The upload's bytes once it is small enough and free of viruses."""
    if upload.size > limit:
        raise ValidationError(
            f"{upload.name} must be smaller than {_megabytes(limit)}", code="too_big"
        )
    data = upload.read()
    if not data:
        raise ValidationError(f"{upload.name} is empty", code="empty")
    try:
        result = get_virus_scanner().scan(data)
    except VirusScanError as exc:
        raise ValidationError(
            f"{upload.name} could not be checked for viruses. Try again in a few "
            "minutes",
            code="scan_failed",
        ) from exc
    if not result.clean:
        raise ValidationError(
            f"{upload.name} contains a virus. Select a different file",
            code="infected",
        )
    return data


def _too_big_image(name: str) -> ValidationError:
    return ValidationError(f"{name} is too large: use a smaller photo", code="too_big")


def _clean_image(data: bytes, name: str, message: str) -> tuple[bytes, str]:
    """Re-encoded image bytes and their extension, or a ``ValidationError``.

    Pillow refuses to open an image of more than twice ``Image.MAX_IMAGE_PIXELS``
    (a decompression bomb: a few kilobytes that would decode to gigabytes); that,
    and anything over our own, lower ``MAX_PIXELS``, is a form error, checked from
    the header before a single pixel is decoded.
    """
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise _too_big_image(name)
            probe.verify()
        image = Image.open(io.BytesIO(data))
        if image.format not in ALLOWED_FORMATS:
            raise ValidationError(message, code="wrong_type")
        image = ImageOps.exif_transpose(image)  # keep the photo the right way up
        fmt = image.format or "JPEG"
        if fmt == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, format=fmt)  # no exif= argument: metadata is not copied
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_big_image(name) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(message, code="wrong_type") from exc
    return out.getvalue(), ALLOWED_FORMATS[fmt]


def _checked_file(data: bytes, extension: str, client_name: str) -> ContentFile:
    """A checked file named by a random token and the detected extension."""
    checked = ContentFile(data, name=f"{uuid.uuid4().hex}.{extension}")
    checked.original_name = display_label(client_name)
    checked.content_type = CONTENT_TYPES[extension]
    return checked


def clean_photo(upload) -> ContentFile:
    """A clean copy of an uploaded photo, or a ``ValidationError`` a resident
    can act on."""
    data = _read_checked(upload, limit=max_bytes())
    cleaned, ext = _clean_image(
        data, upload.name, f"{upload.name} must be a JPG, PNG or WebP photo"
    )
    return _checked_file(cleaned, ext, upload.name)


def looks_like_pdf(data: bytes) -> bool:
    """Starts like a PDF: the header at the very first byte (bytes before it are
    how HTML/PDF polyglots are made)."""
    return data.startswith(b"%PDF-")


class UnsafePDF(ValueError):
    """The file parses as a PDF but holds something we do not accept."""


def _resolved(value):
    return value.get_object() if hasattr(value, "get_object") else value


def check_pdf(data: bytes) -> None:
    """Raise ``UnsafePDF`` unless pypdf parses ``data`` as a plain PDF document.

    A PDF must: start with its header, end with ``%%EOF`` (nothing appended), not be
    encrypted (it could not be checked), have at least one page, and hold none of
    ``PDF_FORBIDDEN_KEYS``, ``PDF_FORBIDDEN_ACTIONS`` or embedded files anywhere in
    the objects reachable from its trailer (walked without recursion, at most
    ``PDF_MAX_OBJECTS``). Text inside a page is never looked at: it is shown, not run.
    """
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    if not looks_like_pdf(data) or not data.rstrip().endswith(b"%%EOF"):
        raise UnsafePDF("not a complete PDF file")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise UnsafePDF("encrypted")
        if len(reader.pages) < 1:
            raise UnsafePDF("no pages")
        seen: set[tuple[int, int]] = set()
        stack = [reader.trailer]
        walked = 0
        while stack:
            item = stack.pop()
            if isinstance(item, IndirectObject):
                ref = (item.idnum, item.generation)
                if ref in seen:
                    continue
                seen.add(ref)
                item = item.get_object()
            walked += 1
            if walked > PDF_MAX_OBJECTS:
                raise UnsafePDF("too many objects to check")
            if isinstance(item, DictionaryObject):
                if PDF_FORBIDDEN_KEYS.intersection(item.keys()):
                    raise UnsafePDF("scripts or embedded files")
                if _resolved(item.get("/S")) in PDF_FORBIDDEN_ACTIONS:
                    raise UnsafePDF("an action that runs or sends")
                if _resolved(item.get("/Type")) in PDF_FORBIDDEN_TYPES:
                    raise UnsafePDF("an embedded file")
                stack.extend(item.values())
            elif isinstance(item, ArrayObject):
                stack.extend(item)
    except UnsafePDF:
        raise
    except (PyPdfError, RecursionError, ValueError, TypeError, KeyError) as exc:
        raise UnsafePDF(f"unreadable: {exc}") from exc
    except Exception as exc:  # noqa: BLE001 - a hostile file may break the parser anyhow
        raise UnsafePDF(f"unreadable: {type(exc).__name__}") from exc


def clean_document(upload) -> ContentFile:
    """A checked copy of a file attached to an editor-built form: a photo
    (re-encoded, EXIF removed) or a PDF (parsed by ``check_pdf``). The returned
    file carries ``original_name`` (a display label) and ``content_type`` (of the
    detected type) for the case page."""
    limit = settings.CASE_UPLOAD_MAX_BYTES
    data = _read_checked(upload, limit=limit)
    message = f"{upload.name} must be a JPG, PNG, WebP or PDF"
    if looks_like_pdf(data):
        try:
            check_pdf(data)
        except UnsafePDF as exc:
            raise ValidationError(
                f"{upload.name} must be a PDF without passwords, scripts or attached "
                "files, or a JPG, PNG or WebP",
                code="unsafe_pdf",
            ) from exc
        return _checked_file(data, "pdf", upload.name)
    cleaned, ext = _clean_image(data, upload.name, message)
    return _checked_file(cleaned, ext, upload.name)


def uploads_storage():
    """The private storage for residents' files (never a public URL)."""
    return storages[UPLOADS_STORAGE]


def upload_folder(token: str, *, today: datetime.date | None = None) -> str:
    """Where a journey's files go: one folder per day, so files from journeys
    nobody finished can be found without reading every case
    (``services.retention.sweep_abandoned_uploads``)."""
    today = today or timezone.localdate()
    return f"{UPLOADS_FOLDER}/{today.isoformat()}/{token}"


def store_upload(checked: ContentFile, *, folder: str) -> str:
    """Save a checked file privately; returns its storage name."""
    return uploads_storage().save(f"{folder}/{checked.name}", checked)


def stored_file(checked: ContentFile, *, token: str) -> dict:
    """Store a checked file for a journey; what the journey's state keeps of it."""
    return {
        "name": checked.original_name,
        "path": store_upload(checked, folder=upload_folder(token)),
        "content_type": checked.content_type,
        "size": checked.size,
    }


def attach_files(*, case, files) -> list:
    """``CaseAttachment`` rows for a new case's stored files (``stored_file``
    dicts, each with the ``question`` it answered). A file no longer in storage (the
    journey was left so long that its files were swept) is skipped, so a row never
    points at nothing."""
    from services.models import CaseAttachment

    storage = uploads_storage()
    rows = [
        CaseAttachment(
            case=case,
            question=str(file.get("question", ""))[:120],
            original_name=display_label(file.get("name", "")),
            file=file["path"],
            content_type=file.get("content_type") or content_type_of(file["path"]),
            size=file.get("size") or 0,
        )
        for file in files
        if file.get("path")
        and file["path"].startswith(f"{UPLOADS_FOLDER}/")
        and storage.exists(file["path"])
    ]
    return CaseAttachment.objects.bulk_create(rows)


def content_type_of(name: str) -> str:
    """The type detected at upload, from the stored name's extension."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return CONTENT_TYPES.get(extension, "application/octet-stream")


def paths_in(value) -> list[str]:
    """Storage names of uploads anywhere in a journey's state or a case's answers."""
    found, stack = [], [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, str) and item.startswith(f"{UPLOADS_FOLDER}/"):
            found.append(item)
    return found


def delete_stored(names=()) -> None:
    """Remove stored files (missing ones are ignored: erasing is idempotent)."""
    storage = uploads_storage()
    for name in names:
        if name:
            storage.delete(name)
