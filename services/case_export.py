"""A service's cases as CSV for its team (the case list's "Export to CSV").

Who may export: superusers, contact-centre staff (who see every case) and the team
that owns the service; a partner, who sees only part of a case, may not. The file
is streamed row by row from one query over the cases (plus one that collects the
questions for the header), so it costs the same number of queries for ten cases
as for a hundred thousand, and memory stays flat.

Cells that a spreadsheet would run as a formula (starting ``=``, ``+``, ``-``,
``@``, tab or carriage return) are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from services.case_answers import question_rows
from services.visibility import CaseVisibility

FIXED_COLUMNS = [
    "Reference",
    "Service",
    "Status",
    "Opened",
    "Due",
    "Closed",
    "Channel",
    "Queue",
    "Assigned to",
    "Resident",
    "Address",
    "Postcode",
    "Summary",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 500


def may_export(user, service) -> bool:
    visibility = CaseVisibility(user)
    return visibility.everything or service.team_id in visibility.group_ids


def safe(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose write returns the line, for streaming csv."""

    def write(self, value):
        return value


def export_lines(service) -> Iterator[str]:
    """CSV lines for every case of ``service``, oldest first."""
    from services.models import Case

    cases = (
        Case.objects.filter(service=service)
        .select_related("service", "team", "assignee", "resident")
        .order_by("pk")
    )
    questions: dict[str, None] = {}
    for answers in cases.values_list("answers", flat=True).iterator(CHUNK):
        for question, _answer in question_rows(answers or {}):
            questions.setdefault(question, None)
    writer = csv.writer(_Echo())
    yield writer.writerow(FIXED_COLUMNS + list(questions))
    for case in cases.iterator(CHUNK):
        answers = dict(question_rows(case.answers or {}))
        resident = case.resident
        who = (
            (resident.get_full_name() or resident.get_username())
            + (f" <{resident.email}>" if resident.email else "")
            if resident
            else " ".join(p for p in (case.contact_name, case.guest_email) if p)
        )
        row = [
            case.reference,
            case.service.name,
            case.get_status_display(),
            case.created_at.date().isoformat(),
            case.due_date.isoformat() if case.due_date else "",
            case.closed_at.date().isoformat() if case.closed_at else "",
            case.get_channel_display(),
            case.team.name if case.team else "",
            (case.assignee.get_full_name() or case.assignee.get_username())
            if case.assignee
            else "",
            who,
            case.address or case.location_description,
            case.postcode,
            case.summary,
        ] + [answers.get(question, "") for question in questions]
        yield writer.writerow([safe(cell) for cell in row])
