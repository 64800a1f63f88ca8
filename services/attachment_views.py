"""Staff download of files residents attached to a case (photos and documents).

Files live in the private ``case_uploads`` storage and have no public URL: this
view streams one only to staff who can read the case (``Case.objects.readable_by``).
Every response is a download the browser cannot turn into a page
(``private_file_response``): the type detected at upload (from the stored name's
extension, never the client's), ``nosniff``, ``Content-Disposition: attachment``
with a safe name (RFC 6266, ``filename*`` for non-ASCII), a CSP that forbids
everything and sandboxes it, and never cached. An ``<img>`` on the case page still
shows a photo: images load whatever the disposition says.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from django.http import FileResponse, Http404
from django.views.decorators.http import require_http_methods

from services.admin_views import _require_case_worker
from services.models import CaseAttachment
from services.models.cases import Case
from services.uploads import content_type_of, download_name, uploads_storage

DOWNLOAD_CSP = "default-src 'none'; sandbox"


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII ``filename`` for old clients and the exact
    name as UTF-8 in ``filename*`` (RFC 6266 / RFC 8187)."""
    fallback = (
        unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    )
    fallback = "".join(c if c.isalnum() or c in "._-" else "_" for c in fallback)
    return (
        f'attachment; filename="{fallback or "download"}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )


def private_file_response(storage, name: str, *, label: str) -> FileResponse:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    response = FileResponse(
        storage.open(name, "rb"), content_type=content_type_of(name)
    )
    response["Content-Disposition"] = content_disposition(
        download_name(label, extension)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET"])
def case_attachment(request, pk: int, attachment_id: int):
    _require_case_worker(request)
    attachment = (
        CaseAttachment.objects.filter(
            pk=attachment_id,
            case__in=Case.objects.readable_by(request.user),
            case=pk,
        )
        .only("file", "original_name")
        .first()
    )
    storage = uploads_storage()
    if attachment is None or not storage.exists(attachment.file):
        raise Http404("No such file")
    return private_file_response(
        storage, attachment.file, label=attachment.original_name
    )
