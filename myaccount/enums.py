"""Fixed choices for resident accounts."""

from django.db import models


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    WELSH = "cy", "Welsh (Cymraeg)"
    POLISH = "pl", "Polish (Polski)"
    URDU = "ur", "Urdu (اردو)"


class ContactTopic(models.TextChoices):
    BINS = "bins", "Bins and recycling"
    COUNCIL_TAX = "council-tax", "Council tax and benefits"
    ROADS = "roads", "Roads, travel and parking"
    EVENTS = "events", "Events and leisure"
    CONSULTATIONS = "consultations", "Consultations and elections"


class MembershipRole(models.TextChoices):
    ADMIN = "admin", "Administrator"
    MEMBER = "member", "Member"


class AuditAction(models.TextChoices):
    STAFF_VIEWED = "staff-viewed", "Staff viewed the resident's record"
    DATA_EXPORTED = "data-exported", "Resident downloaded their data"
    ACCOUNT_DELETED = "account-deleted", "Resident deleted their account"
    COUNCIL_TAX_LINKED = "council-tax-linked", "Council tax account linked"
    COUNCIL_TAX_REFUSED = "council-tax-refused", "Council tax link refused"
    SIGNED_OUT_EVERYWHERE = "signed-out-everywhere", "Signed out everywhere"
    GUEST_RECORDS_CLAIMED = "guest-records-claimed", "Guest records attached"
    STAFF_NOTE_ADDED = "staff-note-added", "Staff note added"


class TimelineKind(models.TextChoices):
    REQUEST = "request", "Request"
    BOOKING = "booking", "Booking"
    PAYMENT = "payment", "Payment"
    MESSAGE = "message", "Message"
    CONTACT = "contact", "Call, email, visit or letter"
