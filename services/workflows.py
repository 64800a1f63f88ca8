"""Workflow templates a service designer picks for a service definition.

Each names the statuses a case of that kind may move between; choosing one fills
the definition's ``allowed_transitions`` (``ServiceDefinition.clean``), and
"Custom" leaves them as edited. Statuses are ``services.enums.CaseStatus``.
"""

from __future__ import annotations

from django.db import models

from services.enums import CaseStatus as S


class WorkflowTemplate(models.TextChoices):
    CUSTOM = "", "Custom (edit the allowed status changes below)"
    SIMPLE_REQUEST = "simple_request", "Simple request"
    REPORT_IT = "report_it", "Report it"
    APPLICATION = "application", "Application with a decision"
    COMPLAINT = "complaint", "Complaint"
    FOI = "foi", "Freedom of information or environmental information request"


_TEMPLATES = {
    # Done, or turned down when it is not something the council does.
    WorkflowTemplate.SIMPLE_REQUEST: {
        S.SUBMITTED: [S.IN_PROGRESS, S.REJECTED],
        S.IN_PROGRESS: [S.RESOLVED],
        S.RESOLVED: [S.CLOSED],
    },
    # A problem in a public place: fixed, or closed as already reported.
    WorkflowTemplate.REPORT_IT: {
        S.SUBMITTED: [S.IN_PROGRESS, S.REJECTED, S.CLOSED],
        S.IN_PROGRESS: [S.RESOLVED],
        S.RESOLVED: [S.CLOSED, S.IN_PROGRESS],
    },
    # Assessed, more evidence asked for, then approved (resolved) or refused.
    WorkflowTemplate.APPLICATION: {
        S.SUBMITTED: [S.IN_PROGRESS, S.AWAITING_INFO],
        S.IN_PROGRESS: [S.AWAITING_INFO, S.RESOLVED, S.REJECTED],
        S.AWAITING_INFO: [S.IN_PROGRESS, S.CLOSED],
        S.RESOLVED: [S.CLOSED],
    },
    # Investigated and answered; reopened when the resident escalates.
    WorkflowTemplate.COMPLAINT: {
        S.SUBMITTED: [S.IN_PROGRESS],
        S.IN_PROGRESS: [S.AWAITING_INFO, S.RESOLVED],
        S.AWAITING_INFO: [S.IN_PROGRESS, S.CLOSED],
        S.RESOLVED: [S.CLOSED, S.IN_PROGRESS],
    },
    # Clarification stops the clock; answered, or refused under an exemption.
    WorkflowTemplate.FOI: {
        S.SUBMITTED: [S.IN_PROGRESS, S.AWAITING_INFO, S.REJECTED],
        S.IN_PROGRESS: [S.AWAITING_INFO, S.RESOLVED, S.REJECTED],
        S.AWAITING_INFO: [S.IN_PROGRESS, S.CLOSED],
        S.RESOLVED: [S.CLOSED],
    },
}


def transitions_for(template: str) -> dict | None:
    """``{status: [next statuses]}`` for a template, every status listed; ``None``
    for a custom workflow."""
    chosen = _TEMPLATES.get(template)
    if chosen is None:
        return None
    return {str(status): [str(t) for t in chosen.get(status, [])] for status in S}
