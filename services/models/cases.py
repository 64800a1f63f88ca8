"""Service definitions and the cases residents open with them.

A ``ServiceDefinition`` is data editors manage (a snippet): its reference prefix,
the team that works its cases, the SLA, which status changes are allowed, whether
guests may use it and how long closed cases are kept. A ``Case`` is one request;
its ``CaseEvent`` rows are the timeline residents and staff see, and each change a
resident must hear about writes an ``OutboxEvent`` in the same transaction
(``services.actions``), delivered later by ``services.tasks.deliver_outbox``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField

from services.api.read_cache import CaseApiQuerySet
from services.enums import (
    CLOSED_STATUSES,
    CaseEventKind,
    CaseStatus,
    Channel,
    DeadlineRule,
    OutboxTopic,
    default_transitions,
)
from services.workflows import WorkflowTemplate, transitions_for


class CannedResponseBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=80)
    text = blocks.TextBlock(help_text="Sent to the resident as a public update.")

    class Meta:
        icon = "comment"
        description = "A reply staff can pick when updating a case."
        preview_value = {"title": "Crew sent back", "text": "We will collect it."}


def _notify_template_field(label: str) -> models.UUIDField:
    platform = (
        "NOTIFY_SMS_TEMPLATE_ID" if "text" in label else "NOTIFY_EMAIL_TEMPLATE_ID"
    )
    return models.UUIDField(
        f"{label} template ID",
        null=True,
        blank=True,
        help_text=f"Blank: the platform's template ({platform}).",
    )


class ServiceDefinition(models.Model):
    """A service residents transact with: the rules its cases follow."""

    name = models.CharField(max_length=120, unique=True)
    reference_prefix = models.CharField(
        max_length=6,
        unique=True,
        help_text="Capital letters starting each case reference, e.g. BIN.",
    )
    case_type = models.CharField(
        max_length=60, help_text="What kind of request this is, e.g. Missed bin."
    )
    team = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        related_name="service_definitions",
        help_text="The staff group whose queue receives new cases.",
    )
    sla_days = models.PositiveSmallIntegerField(
        "SLA (days)", default=10, help_text="Days until a new case is due."
    )
    workflow_template = models.CharField(
        "Workflow",
        max_length=20,
        blank=True,
        default="",
        choices=WorkflowTemplate.choices,
        help_text="Choosing a workflow sets the allowed status changes below.",
    )
    allowed_transitions = models.JSONField(
        default=default_transitions,
        help_text=(
            "Which status may follow which, as {status: [next statuses]}. Statuses: "
            + ", ".join(CaseStatus.values)
            + "."
        ),
    )
    guest_allowed = models.BooleanField(
        default=False, help_text="Residents may use this service without signing in."
    )
    retention_days = models.PositiveIntegerField(
        default=730, help_text="Days a closed case is kept before it is erased."
    )
    deadline_rule = models.CharField(
        "Deadlines",
        max_length=20,
        choices=DeadlineRule.choices,
        default=DeadlineRule.SLA,
        blank=True,
        help_text=(
            "Complaints and FOI/EIR requests follow their statutory timescales in "
            "working days (England and Wales bank holidays excluded) instead of the SLA."
        ),
    )
    synonyms = models.TextField(
        "Other words residents use",
        blank=True,
        max_length=1000,
        help_text=(
            "Comma separated, for example: fly tipping, dumped rubbish. Site search "
            "finds the pages offering this service by these words."
        ),
    )
    canned_responses = StreamField([("response", CannedResponseBlock())], blank=True)
    confirmation_email_text = models.TextField(
        "Confirmation email wording",
        blank=True,
        max_length=2000,
        help_text="Added to the email confirming a request, after its reference: "
        "what happens next and when.",
    )
    update_email_text = models.TextField(
        "Update email wording",
        blank=True,
        max_length=2000,
        help_text="Added to every email telling the resident their request has "
        "changed, e.g. who to contact with questions.",
    )
    # GOV.UK Notify templates for this service's messages to residents, by kind
    # and channel (``notify_template``); blank ones use the platform's.
    notify_confirmation_email = _notify_template_field("Confirmation email")
    notify_confirmation_sms = _notify_template_field("Confirmation text")
    notify_update_email = _notify_template_field("Update email")
    notify_update_sms = _notify_template_field("Update text")
    notify_closed_email = _notify_template_field("Closed email")
    notify_closed_sms = _notify_template_field("Closed text")
    # What staff of an outside partner (a PartnerGroup) see of a case routed to
    # them: by default only the problem, its place (map pin, location
    # description, photos) and its timeline (services.visibility).
    partner_sees_contact_details = models.BooleanField(
        "Partners see the resident's name, email address and phone number",
        default=False,
        help_text="Only if the partner must contact the resident themselves.",
    )
    open311 = models.BooleanField(
        "Offered to report-it apps (Open311)",
        default=False,
        help_text=(
            "For services whose reports have a place on the map (street problems): "
            "listed at /open311/v2/services.json, one entry per category."
        ),
    )
    partner_sees_address = models.BooleanField(
        "Partners see the address, postcode and UPRN given with the request",
        default=False,
        help_text=(
            "Only if the work is at that address (a map pin and a description of "
            "the place are always shown)."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("reference_prefix"),
        FieldPanel("case_type"),
        FieldPanel("synonyms"),
        MultiFieldPanel(
            [
                FieldPanel("team"),
                FieldPanel("sla_days"),
                FieldPanel("deadline_rule"),
                FieldPanel("guest_allowed"),
                FieldPanel("open311"),
            ],
            heading="Routing and service level",
        ),
        MultiFieldPanel(
            [FieldPanel("workflow_template"), FieldPanel("allowed_transitions")],
            heading="Workflow",
        ),
        MultiFieldPanel(
            [FieldPanel("confirmation_email_text"), FieldPanel("update_email_text")],
            heading="Emails to residents",
        ),
        MultiFieldPanel(
            [
                FieldPanel("notify_confirmation_email"),
                FieldPanel("notify_confirmation_sms"),
                FieldPanel("notify_update_email"),
                FieldPanel("notify_update_sms"),
                FieldPanel("notify_closed_email"),
                FieldPanel("notify_closed_sms"),
            ],
            heading="GOV.UK Notify templates",
            help_text=(
                "The IDs of the GOV.UK Notify templates this service's emails and "
                "texts use: on a request received, updated (a status change or a "
                "public update) and closed. Each template gets ((subject)) "
                "(emails), ((body)), ((reference)), ((service)) and ((status))."
            ),
        ),
        FieldPanel("retention_days"),
        FieldPanel("canned_responses"),
        MultiFieldPanel(
            [
                FieldPanel("partner_sees_contact_details"),
                FieldPanel("partner_sees_address"),
            ],
            heading="What partners see of a case",
        ),
    ]

    objects = CaseApiQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        prefix = self.reference_prefix or ""
        if not (prefix.isascii() and prefix.isalpha() and prefix.isupper()):
            raise ValidationError(
                {"reference_prefix": "Use capital letters only, for example BIN."}
            )
        from_template = transitions_for(self.workflow_template)
        if from_template is not None:
            self.allowed_transitions = from_template
        transitions = self.allowed_transitions
        valid = set(CaseStatus.values)
        if not isinstance(transitions, dict) or not all(
            key in valid
            and isinstance(targets, list)
            and all(t in valid for t in targets)
            for key, targets in transitions.items()
        ):
            raise ValidationError(
                {
                    "allowed_transitions": "Give {status: [next statuses]} using only "
                    + ", ".join(sorted(valid))
                }
            )

    def notify_template(self, kind: str, channel: str) -> str:
        """The Notify template ID for a message of ``kind`` (confirmation,
        update, closed) by ``channel`` (email, sms); "" for the platform's."""
        value = getattr(self, f"notify_{kind}_{channel}", None)
        return str(value) if value else ""

    def next_statuses(self, status: str) -> list[str]:
        return list(self.allowed_transitions.get(str(status), []))

    def can_transition(self, from_status: str, to_status: str) -> bool:
        return to_status in self.next_statuses(from_status)

    @property
    def search_words(self) -> list[str]:
        """Its name, its kind of request and the residents' words for it."""
        words = [w.strip() for w in self.synonyms.split(",")]
        return [self.name, self.case_type, *(w for w in words if w)]

    @property
    def canned_response_choices(self) -> list[tuple[str, str]]:
        return [(b.value["text"], b.value["title"]) for b in self.canned_responses]


class PartnerGroup(models.Model):
    """Flags a Django group as an outside partner (e.g. a highways contractor).

    Its users see and update only the cases routed to the group (``Case.partner``)
    and cannot reassign them.
    """

    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, related_name="partner"
    )
    organisation_name = models.CharField(max_length=120)

    panels = [FieldPanel("group"), FieldPanel("organisation_name")]

    def __str__(self) -> str:
        return self.organisation_name


OPEN_ON_BEHALF = "services.open_case_on_behalf"


class CaseQuerySet(CaseApiQuerySet):
    def for_resident(self, user):
        """The signed-in resident's own cases (made with their account, or joined
        to their contact by a verified email address or phone number, such as a
        call they made); nothing for anyone else."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(Q(resident=user) | Q(contact__user=user))

    def for_staff(self, user):
        """Cases of the teams the user's groups form, plus cases routed to a
        partner group the user belongs to. Superusers see every case."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        group_ids = list(user.groups.values_list("pk", flat=True))
        mine = Q(team_id__in=group_ids) | Q(partner_id__in=group_ids)
        if user.has_perm(OPEN_ON_BEHALF):
            # Contact-centre staff also keep the cases they opened for callers.
            mine |= Q(pk__in=self._opened_by_ids(user))
        elif not group_ids:
            return self.none()
        return self.filter(mine)

    def readable_by(self, user):
        """Cases a member of staff may open and read: their queues, and for
        contact-centre staff (who search and log for everyone) every case. Only
        ``for_staff`` cases may be worked (status, assignment)."""
        if getattr(user, "is_authenticated", False) and user.is_active:
            if user.has_perm(OPEN_ON_BEHALF):
                return self.all()
        return self.for_staff(user)

    def opened_by(self, user):
        """Cases this member of staff opened for a caller (first timeline entry)."""
        return self.filter(pk__in=self._opened_by_ids(user))

    @staticmethod
    def _opened_by_ids(user):
        return CaseEvent.objects.filter(
            kind=CaseEventKind.SUBMITTED, actor_id=user.pk
        ).values("case_id")

    def open(self):
        return self.exclude(status__in=CLOSED_STATUSES)

    def overdue(self, today: datetime.date | None = None):
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def nearby(self, *, latitude=None, longitude=None, street: str = "", metres=60):
        """Cases pinned within about ``metres`` of a point, or described on the same
        street when there is no pin (a bounding box: enough for duplicates)."""
        if latitude is not None and longitude is not None:
            dlat = Decimal(metres) / Decimal(111_000)
            dlng = dlat * Decimal("1.6")  # 1 degree of longitude is shorter at 51°N
            return self.filter(
                latitude__range=(latitude - dlat, latitude + dlat),
                longitude__range=(longitude - dlng, longitude + dlng),
            )
        if street.strip():
            return self.filter(location_description__istartswith=street.strip())
        return self.none()


class Case(models.Model):
    """One resident request, worked by staff until it is closed."""

    reference = models.CharField(max_length=24, unique=True, editable=False)
    service = models.ForeignKey(
        ServiceDefinition, on_delete=models.PROTECT, related_name="cases"
    )
    case_type = models.CharField(max_length=60)
    category = models.CharField(max_length=60, blank=True, db_index=True)
    summary = models.CharField(max_length=200, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    # The page revision of the editor-built form the resident answered
    # (services.blocks.editor_form.versions); empty for other journeys.
    form_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # The declaration the resident accepted on check your answers, word for word,
    # and when (an editor-built form with a declaration); empty otherwise.
    declaration = models.TextField(blank=True, editable=False)
    declaration_accepted_at = models.DateTimeField(
        null=True, blank=True, editable=False
    )
    # Where: a map pin and/or an address; each is optional, one is expected.
    latitude = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True
    )
    location_description = models.CharField(max_length=300, blank=True)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=8, blank=True, db_index=True)
    uprn = models.CharField("UPRN", max_length=12, blank=True, db_index=True)
    # Who: a resident account, or a guest's email address.
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    guest_email = models.EmailField(blank=True)
    contact_name = models.CharField(max_length=120, blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    # The person (services.contacts): the account's contact, or a guest's or
    # caller's, matched only by a verified email address or phone number.
    contact = models.ForeignKey(
        "services.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    ward = models.ForeignKey(
        "personalisation.Ward",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    channel = models.CharField(
        max_length=20, choices=Channel.choices, default=Channel.WEB
    )
    status = models.CharField(
        max_length=20, choices=CaseStatus.choices, default=CaseStatus.SUBMITTED
    )
    team = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="cases", null=True, blank=True
    )
    partner = models.ForeignKey(
        Group,
        on_delete=models.SET_NULL,
        related_name="partner_cases",
        null=True,
        blank=True,
        help_text="An outside partner this case is routed to.",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    due_date = models.DateField(null=True, blank=True)
    # Complaints: the stage of the complaints procedure (services.deadlines).
    stage = models.PositiveSmallIntegerField(default=1)
    # FOI/EIR: the day the clock stopped to ask for clarification (no due date
    # until the requester replies).
    clock_stopped_on = models.DateField(null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.UUIDField(unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set when the retention job erased the personal data for good
    # (services.retention; services.erasure says what is erased).
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["team", "status", "due_date"]),
            models.Index(fields=["partner", "status"]),
            models.Index(fields=["resident", "-created_at"]),
            models.Index(fields=["contact", "-created_at"]),
            models.Index(fields=["service", "category", "status"]),
            # Staff queues: open cases of a team (or routed to a partner) by due
            # date; the list filters on "open" and "overdue" and sorts by due date.
            models.Index(
                fields=["team", "due_date"],
                name="case_open_team_due_idx",
                condition=~Q(status__in=CLOSED_STATUSES),
            ),
            models.Index(
                fields=["partner", "due_date"],
                name="case_open_partner_due_idx",
                condition=~Q(status__in=CLOSED_STATUSES),
            ),
            # The nightly report roll-up reads the cases closed on a day.
            models.Index(fields=["closed_at"], name="case_closed_at_idx"),
            # Closed cases still holding personal data (services.retention).
            models.Index(
                fields=["service", "closed_at"],
                name="case_retention_idx",
                condition=Q(anonymised_at__isnull=True, closed_at__isnull=False),
            ),
        ]
        permissions = [
            ("open_case_on_behalf", "Can open a case on behalf of a caller"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.is_open and self.due_date and self.due_date < timezone.localdate()
        )

    @property
    def contact_email(self) -> str:
        if self.resident_id and self.resident and self.resident.email:
            return self.resident.email
        return self.guest_email

    @property
    def where(self) -> str:
        """The location as a resident would describe it."""
        parts = [self.address, self.location_description]
        if self.latitude is not None and self.longitude is not None:
            parts.append(f"map pin {self.latitude}, {self.longitude}")
        return " — ".join(p for p in parts if p)


class CaseEventQuerySet(CaseApiQuerySet):
    def public(self):
        return self.filter(public=True)


class CaseEvent(models.Model):
    """One entry in a case's timeline. Public entries are shown to the resident."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=CaseEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    public = models.BooleanField(default=False)
    text = models.TextField(blank=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "created_at"])]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.get_kind_display()}"

    @property
    def to_status_label(self) -> str:
        return CaseStatus(self.to_status).label if self.to_status else ""

    @property
    def asks_satisfaction(self) -> bool:
        """This change closed an open case whose resident has not yet said how
        satisfied they were: its email asks them, once."""
        return (
            self.kind == CaseEventKind.STATUS_CHANGED
            and self.to_status in CLOSED_STATUSES
            and self.from_status not in CLOSED_STATUSES
            and not CaseSatisfaction.objects.filter(case_id=self.case_id).exists()
        )


class Satisfaction(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class CaseSatisfaction(models.Model):
    """The resident's one answer to "Were you satisfied with how we dealt with
    this?", asked when the case is closed. One row per case (the unique key is what
    refuses a second answer, even two sent at once)."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="satisfaction"
    )
    answer = models.CharField(max_length=3, choices=Satisfaction.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.case_id}: {self.answer}"


class CaseFollower(models.Model):
    """A resident who chose to follow an existing case instead of reporting the
    same problem again; they hear about its public changes."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="followed_cases",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"], name="unique_case_follower"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.case_id}"


class OutboxEventQuerySet(models.QuerySet):
    def dead(self):
        """Rows delivery gave up on (the dead letters staff resend)."""
        return self.filter(delivered_at__isnull=True, dead_at__isnull=False)

    def pending(self):
        return self.filter(delivered_at__isnull=True, dead_at__isnull=True)

    def claimable(self, now, lease):
        """Pending rows nobody is sending now: never claimed, or claimed longer
        ago than the lease (the worker sending it died)."""
        return (
            self.pending()
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - lease))
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        )

    def webhooks(self):
        return self.filter(topic=OutboxTopic.WEBHOOK)


class OutboxEvent(models.Model):
    """A message that must leave the system because a case changed.

    Written in the same transaction as the change. A delivery claims the row
    (``claimed_at``, ``attempts`` + 1) in a short transaction, sends, then records
    ``delivered_at``: a retried or duplicated task finds it claimed or delivered
    and sends nothing. After ``OUTBOX_MAX_ATTEMPTS`` the row becomes a dead
    letter (``dead_at``) that staff see and resend (``services.outbox``).
    """

    topic = models.CharField(max_length=40, choices=OutboxTopic.choices)
    key = models.CharField(max_length=80, unique=True)
    # Empty for messages about no one case (the weekly report summary).
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="outbox"
    )
    event = models.ForeignKey(
        CaseEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    provider_reference = models.CharField(max_length=120, blank=True)
    # Set while a worker sends the row; a claim older than OUTBOX_LEASE_SECONDS
    # belongs to a worker that died mid-send, and the sweep may send it again.
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Set when delivery gave up: a dead letter, never retried until staff resend.
    dead_at = models.DateTimeField(null=True, blank=True)
    # Webhook deliveries: the subscription, when the next try is due (backoff),
    # and the HTTP status the receiver last answered.
    subscription = models.ForeignKey(
        "services.WebhookSubscription",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = OutboxEventQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbox_pending_idx",
                condition=Q(delivered_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.key


class CaseDraftQuerySet(models.QuerySet):
    def for_resident(self, user):
        """A signed-in resident's saved journeys, newest first."""
        return self.filter(user=user).order_by("-updated_at")

    def resumable(self, token_hash: str, now):
        """A guest's saved journey for the hash of the token in its link, while
        the link lasts."""
        return self.filter(
            user__isnull=True, resume_token_hash=token_hash, expires_at__gt=now
        )

    def expired(self, now):
        return self.filter(user__isnull=True, expires_at__lte=now)


class CaseDraft(models.Model):
    """A half-finished journey, saved so its resident can come back to it: one row
    per journey, however many steps are answered.

    A signed-in resident's (``user``) is saved as they go. A guest's is saved when
    they ask for a link to come back (``services.saved_journeys``): no user, the
    email address the link went to, the SHA-256 of the link's token (the token
    itself is never stored) and when the link stops working.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="case_drafts",
    )
    journey_key = models.CharField(max_length=80)
    state = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)
    email = models.EmailField(blank=True)
    resume_token_hash = models.CharField(
        max_length=64, null=True, blank=True, unique=True
    )
    expires_at = models.DateTimeField(null=True, blank=True)

    objects = CaseDraftQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "journey_key"], name="unique_case_draft"
            )
        ]
        indexes = [
            models.Index(
                fields=["expires_at"],
                name="case_draft_guest_expiry_idx",
                condition=Q(user__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.journey_key}"
