"""Staff download of files residents attached to a case.

Files live in the private ``case_uploads`` storage and have no public URL: this
view streams one only to staff who can see the case
(``Case.objects.for_staff``), as an attachment, never cached, never sniffed.
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.views.decorators.http import require_http_methods

from services.admin_views import _require_case_worker
from services.models import CaseAttachment
from services.models.cases import Case
from services.uploads import uploads_storage


@require_http_methods(["GET"])
def case_attachment(request, pk: int, attachment_id: int):
    _require_case_worker(request)
    attachment = (
        CaseAttachment.objects.filter(
            pk=attachment_id, case__in=Case.objects.for_staff(request.user), case=pk
        )
        .only("file", "original_name", "content_type")
        .first()
    )
    storage = uploads_storage()
    if attachment is None or not storage.exists(attachment.file):
        raise Http404("No such file")
    response = FileResponse(
        storage.open(attachment.file, "rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
