"""Choices shared by case models, actions, forms and the admin."""

from django.db import models


class CaseStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    IN_PROGRESS = "in_progress", "In progress"
    AWAITING_INFO = "awaiting_info", "Waiting for information"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"
    REJECTED = "rejected", "Rejected"


CLOSED_STATUSES = (CaseStatus.CLOSED, CaseStatus.REJECTED, CaseStatus.RESOLVED)

# The workflow a new service starts with; editors change it per service.
DEFAULT_TRANSITIONS = {
    CaseStatus.SUBMITTED: [CaseStatus.IN_PROGRESS, CaseStatus.REJECTED],
    CaseStatus.IN_PROGRESS: [CaseStatus.AWAITING_INFO, CaseStatus.RESOLVED],
    CaseStatus.AWAITING_INFO: [CaseStatus.IN_PROGRESS, CaseStatus.CLOSED],
    CaseStatus.RESOLVED: [CaseStatus.CLOSED, CaseStatus.IN_PROGRESS],
    CaseStatus.REJECTED: [],
    CaseStatus.CLOSED: [],
}


def default_transitions() -> dict:
    return {str(k): [str(v) for v in vs] for k, vs in DEFAULT_TRANSITIONS.items()}


class DeadlineRule(models.TextChoices):
    """How a service's cases are timed (``services.deadlines``)."""

    SLA = "", "The service's SLA in calendar days"
    COMPLAINT = "complaint", "Complaints procedure: stage 1 and stage 2 in working days"
    FOI = "foi", "FOI or EIR request: 20 working days, clock stops for clarification"


class Channel(models.TextChoices):
    """How a contact reached the council: a case's channel, and the channel-shift
    report's columns (logged interactions map onto it, ``INTERACTION_CHANNELS``)."""

    WEB = "web", "Web"
    PHONE = "phone", "Phone"
    FACE_TO_FACE = "face_to_face", "Face to face"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    # Another system on the resident's behalf: a report-it app through Open311.
    API = "api", "Other systems (API, Open311)"


# Residents serving themselves: on our site, or through another app (Open311).
SELF_SERVICE_CHANNELS = (Channel.WEB, Channel.API)


class CaseEventKind(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    STATUS_CHANGED = "status_changed", "Status changed"
    PUBLIC_UPDATE = "public_update", "Update to the resident"
    INTERNAL_NOTE = "internal_note", "Internal note"
    ASSIGNED = "assigned", "Assigned"
    OVERDUE = "overdue", "Flagged overdue"
    FOLLOWED = "followed", "Followed by a resident"
    ANONYMISED = "anonymised", "Personal data erased"
    SATISFACTION = "satisfaction", "Satisfaction answer"
    HANDED_OVER = "handed_over", "Handed to another team"


class OutboxTopic(models.TextChoices):
    CASE_OPENED = "case.opened", "Case opened"
    STATUS_CHANGED = "case.status_changed", "Status changed"
    PUBLIC_UPDATE = "case.public_update", "Public update"
    TEAM_OVERDUE = "case.overdue", "Case overdue (team)"
    WEEKLY_REPORT = "report.weekly", "Weekly report summary"
    RENEWAL_DUE = "permit.renewal_due", "Renewal reminder"
    # A guest's link back to a journey they saved (services.saved_journeys).
    JOURNEY_RESUME = "journey.resume", "Saved journey link"
    # A signed POST to a webhook subscription (payload: the event's type and body).
    WEBHOOK = "webhook", "Webhook"
    # An email in place of a text the phone network refused for good (payload:
    # the failed message and the outbox row it was for).
    SMS_FALLBACK = "notify.sms_fallback", "Email after a failed text"
    # A bulletin to one subscriber (payload: the bulletin and the resident).
    BULLETIN = "bulletin", "Bulletin"


class InteractionChannel(models.TextChoices):
    """How a person got in touch (or was contacted) outside an online journey."""

    PHONE = "phone", "Phone call"
    EMAIL = "email", "Email"
    VISIT = "visit", "Visit to a council office"
    LETTER = "letter", "Letter"


# An interaction counts in the channel-shift report under the case channel it
# corresponds to.
INTERACTION_CHANNELS = {
    InteractionChannel.PHONE: Channel.PHONE,
    InteractionChannel.EMAIL: Channel.EMAIL,
    InteractionChannel.VISIT: Channel.FACE_TO_FACE,
    InteractionChannel.LETTER: Channel.LETTER,
}


class InteractionOutcome(models.TextChoices):
    ANSWERED = "answered", "Answered"
    ANSWERED_FROM_WEBSITE = "answered_from_website", "Answered from the website"
    CASE_OPENED = "case_opened", "Case opened"
    REFERRED = "referred", "Referred to a service team"
    CALL_BACK = "call_back", "Call back needed"
