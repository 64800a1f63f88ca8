"""Counting what residents do in each journey, on the server.

``count_step`` is called by ``TransactionBlock`` when it shows a step or "check
your answers", and ``count_submitted`` when a journey opens its case. Each adds
one to a ``JourneyStepCount`` row for today with an upsert (one statement, safe
under concurrency). On PostgreSQL the count commits asynchronously
(``synchronous_commit`` off for its own transaction only): the step does not wait
for the disk to flush a tally; a database crash may lose the last few counts, never
a resident's answers, which commit as usual. Nothing identifies the visitor: no
cookie is read or set, and an error is recorded as its question (the field name) and
the message as written in the code, with any value the resident typed left out
(Django puts values into some messages, e.g. "Select a valid choice. %(value)s is
not one of the available choices.": the placeholder is kept, not the value). A
failure to count never stops the journey.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from services.models.reports import JourneyEvent

logger = logging.getLogger(__name__)

MESSAGE_LENGTH = 200


# One statement, atomic under concurrency (PostgreSQL and SQLite both upsert).
UPSERT = (
    "INSERT INTO services_journeystepcount "
    "(day, page_id, block_id, step, event, field, message, count) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, 1) "
    "ON CONFLICT (day, page_id, block_id, step, event, field, message) "
    "DO UPDATE SET count = services_journeystepcount.count + 1"
)


# For the count's own transaction only (``SET LOCAL``).
ASYNC_COMMIT = "SET LOCAL synchronous_commit TO OFF"


def _add(*, page_id: int, block_id: str, step: str, event: str, field="", message=""):
    params = [
        timezone.localdate(),
        page_id,
        block_id[:64],
        step[:40],
        event,
        field[:60],
        message[:MESSAGE_LENGTH],
    ]
    # Only when the count is its own transaction: inside another one, ``SET
    # LOCAL`` would reach that transaction's writes too.
    asynchronous = connection.vendor == "postgresql" and connection.get_autocommit()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if asynchronous:
                cursor.execute(ASYNC_COMMIT)
            cursor.execute(UPSERT, params)
    except DatabaseError:
        logger.warning("Could not count a journey step", exc_info=True)


def error_messages(form) -> list[tuple[str, str]]:
    """(field name, message as written) for each error the form shows."""
    found = []
    for name, errors in form.errors.as_data().items():
        for error in errors:
            for item in error.error_list:
                message = str(item.message)
                found.append(("" if name == "__all__" else name, message))
    return found


def count_step(*, page, block_id: str, step: str, form=None, check: bool = False):
    """A step (or check answers) was shown; with the errors on ``form`` if any."""
    if page is None or not block_id:
        return
    if form is not None and form.is_bound and form.errors:
        for name, message in error_messages(form):
            _add(
                page_id=page.pk,
                block_id=block_id,
                step=step,
                event=JourneyEvent.ERROR,
                field=name,
                message=message,
            )
        return
    _add(
        page_id=page.pk,
        block_id=block_id,
        step=step,
        event=JourneyEvent.CHECK if check else JourneyEvent.VIEW,
    )


def count_submitted(*, page, block_id: str):
    _add(page_id=page.pk, block_id=block_id, step="done", event=JourneyEvent.SUBMITTED)
