"""Files residents upload, checked on the server: size, viruses, type by content.

The browser's file name and content type are ignored. Every upload is:

1. refused when larger than the limit (before it is read);
2. scanned for viruses (``services.integrations.clamav``: clamd, or the local
   EICAR-only scanner); an infected file, or one that could not be scanned, is
   refused and nothing is stored;
3. recognised from its bytes: Pillow must decode a JPEG, PNG or WebP image (re-encoded
   from its pixels, which drops EXIF, including the GPS location a phone records,
   and anything hidden after the image data), or, for documents, the bytes must
   start like a PDF.

Street-problem photos keep their storage (``store_photo``). Files attached to
editor-built forms are stored in the private ``case_uploads`` storage
(``STORAGES["case_uploads"]``, outside ``MEDIA_ROOT``) and only ever streamed to
staff who can see the case (``services.attachment_views``).
"""

from __future__ import annotations

import datetime
import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
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


def max_bytes() -> int:
    return settings.CASE_PHOTO_MAX_BYTES


def _megabytes(limit: int) -> str:
    return f"{limit // (1024 * 1024)}MB" if limit >= 1024 * 1024 else f"{limit} bytes"


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


def _clean_image(data: bytes, name: str, message: str) -> tuple[bytes, str]:
    """Re-encoded image bytes and their extension, or a ``ValidationError``."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        if image.format not in ALLOWED_FORMATS:
            raise ValidationError(message, code="wrong_type")
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(
                f"{name} is too large: use a smaller photo", code="too_big"
            )
        image = ImageOps.exif_transpose(image)  # keep the photo the right way up
        fmt = image.format or "JPEG"
        if fmt == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, format=fmt)  # no exif= argument: metadata is not copied
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(message, code="wrong_type") from exc
    return out.getvalue(), ALLOWED_FORMATS[fmt]


def clean_photo(upload) -> ContentFile:
    """A clean copy of an uploaded photo, or a ``ValidationError`` a resident
    can act on."""
    data = _read_checked(upload, limit=max_bytes())
    cleaned, ext = _clean_image(
        data, upload.name, f"{upload.name} must be a JPG, PNG or WebP photo"
    )
    return ContentFile(cleaned, name=f"{uuid.uuid4().hex}.{ext}")


def looks_like_pdf(data: bytes) -> bool:
    """PDF by its header (within the first KB, as readers allow) and trailer."""
    return b"%PDF-" in data[:1024] and b"%%EOF" in data[-2048:]


def clean_document(upload) -> ContentFile:
    """A checked copy of a file attached to an editor-built form: a photo
    (re-encoded, EXIF removed) or a PDF. The returned file carries
    ``original_name`` and ``content_type`` for the case page."""
    limit = settings.CASE_UPLOAD_MAX_BYTES
    data = _read_checked(upload, limit=limit)
    message = f"{upload.name} must be a JPG, PNG, WebP or PDF"
    if looks_like_pdf(data):
        cleaned, ext = data, "pdf"
    else:
        cleaned, ext = _clean_image(data, upload.name, message)
    checked = ContentFile(cleaned, name=f"{uuid.uuid4().hex}.{ext}")
    checked.original_name = upload.name[:200]
    checked.content_type = CONTENT_TYPES[ext]
    return checked


def store_photo(photo: ContentFile, *, folder: str) -> str:
    """Save a cleaned photo; returns its storage name."""
    return default_storage.save(f"case-photos/{folder}/{photo.name}", photo)


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


def delete_stored(*, photos=(), uploads=()) -> None:
    """Remove stored files (missing ones are ignored: erasing is idempotent)."""
    for name in photos:
        if name:
            default_storage.delete(name)
    storage = uploads_storage()
    for name in uploads:
        if name:
            storage.delete(name)
