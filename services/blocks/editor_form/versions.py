"""Which version of a form a journey runs on.

A journey records the page revision that was live when it started
(``state["form_version"]``); until it ends, its questions come from that
revision's copy of the block, so a resident half-way through version 3 finishes
version 3 even after version 4 is published, and the case records 3. Reading a
revision is Wagtail's public ``Revision.as_object()``; each request reads a
revision at most once.
"""

from __future__ import annotations

from wagtail.models import Revision

VERSION_KEY = "form_version"


def _block_in_revision(page, block_id: str, revision_id: int):
    revision = Revision.page_revisions.filter(
        pk=revision_id, object_id=str(page.pk)
    ).first()
    if revision is None:
        return None
    old_page = revision.as_object()
    for child in old_page.transaction_blocks():
        if child.id == block_id:
            return child.value
    return None


def pinned_value(value, request, state, *, page, block_id):
    """``value`` as it was when this journey started; records the live revision
    in ``state`` when the journey is new. Previews never pin (they show a draft)."""
    if getattr(request, "is_preview", False):
        return value
    live = getattr(page, "live_revision_id", None)
    pinned = state.setdefault(VERSION_KEY, live)
    if not pinned or pinned == live:
        return value
    cache = request.__dict__.setdefault("_form_versions", {})
    key = (page.pk, block_id, pinned)
    if key not in cache:
        cache[key] = _block_in_revision(page, block_id, pinned)
    if cache[key] is None:  # the revision is gone: carry on with the live form
        state[VERSION_KEY] = live
        return value
    return cache[key]
