"""Photo uploads checked on the server: type by content, size, EXIF removed.

The browser's file name and content type are ignored: Pillow must recognise the
bytes as a JPEG, PNG or WebP image. Every photo is re-encoded from its pixels, which
drops EXIF (including the GPS location a phone records) and anything hidden after the
image data.
"""

from __future__ import annotations

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PIXELS = 40_000_000


def max_bytes() -> int:
    return settings.CASE_PHOTO_MAX_BYTES


def clean_photo(upload) -> ContentFile:
    """A clean copy of an uploaded photo, or a ``ValidationError`` a resident
    can act on."""
    limit = max_bytes()
    if upload.size > limit:
        raise ValidationError(
            f"{upload.name} must be smaller than {limit // (1024 * 1024)}MB"
        )
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        if image.format not in ALLOWED_FORMATS:
            raise ValidationError(f"{upload.name} must be a JPG, PNG or WebP photo")
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(f"{upload.name} is too large: use a smaller photo")
        image = ImageOps.exif_transpose(image)  # keep the photo the right way up
        fmt = image.format or "JPEG"
        if fmt == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, format=fmt)  # no exif= argument: metadata is not copied
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            f"{upload.name} must be a JPG, PNG or WebP photo"
        ) from exc
    return ContentFile(
        out.getvalue(), name=f"{uuid.uuid4().hex}.{ALLOWED_FORMATS[fmt]}"
    )


def store_photo(photo: ContentFile, *, folder: str) -> str:
    """Save a cleaned photo; returns its storage name."""
    return default_storage.save(f"case-photos/{folder}/{photo.name}", photo)
