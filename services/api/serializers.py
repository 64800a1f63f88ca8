"""What the case API reads and accepts. Every input serializer refuses fields it
does not know (a typo must not pass silently) and bounds every string."""

from __future__ import annotations

import json

from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from rest_framework import serializers

from services.enums import CLOSED_STATUSES, CaseStatus
from services.models import Case, CaseAttachment, CaseEvent


class StrictSerializer(serializers.Serializer):
    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: ["This field is not accepted."] for name in unknown}
                )
        return super().to_internal_value(data)


class CaseEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseEvent
        fields = ["kind", "text", "from_status", "to_status", "created_at"]


class CaseSerializer(serializers.ModelSerializer):
    service = serializers.CharField(source="service.reference_prefix")
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, allow_null=True, coerce_to_string=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, allow_null=True, coerce_to_string=True
    )
    next_statuses = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "reference",
            "service",
            "case_type",
            "category",
            "summary",
            "status",
            "next_statuses",
            "channel",
            "address",
            "postcode",
            "uprn",
            "location_description",
            "latitude",
            "longitude",
            "due_date",
            "created_at",
            "updated_at",
            "closed_at",
        ]

    def get_next_statuses(self, case) -> list[str]:
        return case.service.next_statuses(case.status)


# The columns a case is read with (``.values()``), its service's through the join;
# the workflow as text, decoded once per service rather than once per row.
CASE_ROW_COLUMNS = [
    "id",
    *(
        name
        for name in CaseSerializer.Meta.fields
        if name not in {"service", "next_statuses"}
    ),
    "service__reference_prefix",
]
CASE_ROW_EXPRESSIONS = {
    "transitions": Cast("service__allowed_transitions", output_field=TextField())
}
EVENT_COLUMNS = ["kind", "text", "from_status", "to_status", "created_at"]
ATTACHMENT_COLUMNS = [
    "id",
    "original_name",
    "question",
    "content_type",
    "size",
    "created_at",
]
_COORDINATE = CaseSerializer._declared_fields["latitude"]


def _iso_datetime(value, zone) -> str | None:
    """What ``serializers.DateTimeField`` answers (ISO 8601 in the site's time
    zone, ``Z`` for UTC), without a field object per value."""
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def case_rows(rows) -> list[dict]:
    """Cases as ``CaseSerializer`` writes them, key for key, from
    ``.values(*CASE_ROW_COLUMNS, **CASE_ROW_EXPRESSIONS)`` rows: no model
    instances and no serializer fields per row (on a page of 50 they cost more
    than the query). ``tests/services/test_case_api.py`` holds the two to the
    same output."""
    zone = timezone.get_current_timezone()
    coordinate = _COORDINATE.to_representation
    workflows: dict[str, dict] = {}
    answer = []
    for row in rows:
        text = row["transitions"] or "{}"
        transitions = workflows.get(text)
        if transitions is None:
            transitions = workflows[text] = json.loads(text)
        latitude, longitude, due_date = (
            row["latitude"],
            row["longitude"],
            row["due_date"],
        )
        answer.append(
            {
                "reference": row["reference"],
                "service": row["service__reference_prefix"],
                "case_type": row["case_type"],
                "category": row["category"],
                "summary": row["summary"],
                "status": row["status"],
                "next_statuses": list(transitions.get(str(row["status"]), [])),
                "channel": row["channel"],
                "address": row["address"],
                "postcode": row["postcode"],
                "uprn": row["uprn"],
                "location_description": row["location_description"],
                "latitude": None if latitude is None else coordinate(latitude),
                "longitude": None if longitude is None else coordinate(longitude),
                "due_date": None if due_date is None else due_date.isoformat(),
                "created_at": _iso_datetime(row["created_at"], zone),
                "updated_at": _iso_datetime(row["updated_at"], zone),
                "closed_at": _iso_datetime(row["closed_at"], zone),
            }
        )
    return answer


def case_detail(row: dict, events, attachments) -> dict:
    """A case as ``CaseDetailSerializer`` writes it, from its ``case_rows`` row,
    its public timeline (``EVENT_COLUMNS`` rows) and its attachments
    (``ATTACHMENT_COLUMNS`` rows)."""
    zone = timezone.get_current_timezone()
    (answer,) = case_rows([row])
    answer["timeline"] = [
        {
            "kind": event["kind"],
            "text": event["text"],
            "from_status": event["from_status"],
            "to_status": event["to_status"],
            "created_at": _iso_datetime(event["created_at"], zone),
        }
        for event in events
    ]
    answer["attachments"] = [
        {
            "id": file["id"],
            "name": file["original_name"],
            "description": file["question"],
            "content_type": file["content_type"],
            "size": file["size"],
            "created_at": _iso_datetime(file["created_at"], zone),
        }
        for file in attachments
    ]
    return answer


class AttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")
    description = serializers.CharField(source="question")

    class Meta:
        model = CaseAttachment
        fields = ["id", "name", "description", "content_type", "size", "created_at"]


class CaseDetailSerializer(CaseSerializer):
    timeline = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "timeline", "attachments"]

    def get_timeline(self, case) -> list[dict]:
        # The views prefetch the public entries alone (``public_events``).
        events = getattr(case, "public_events", None)
        if events is None:
            events = [e for e in case.events.order_by("created_at") if e.public]
        return CaseEventSerializer(events, many=True).data


class StatusChangeSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    message = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="Shown to the resident with the change.",
    )


class PublicUpdateSerializer(StrictSerializer):
    text = serializers.CharField(
        max_length=2000, help_text="Shown to the resident, who is told by email."
    )


class CloseSerializer(StrictSerializer):
    outcome = serializers.ChoiceField(
        choices=[(str(s), s.label) for s in CLOSED_STATUSES],
        help_text="How the case ends; the service's workflow must allow it.",
    )
    message = serializers.CharField(
        max_length=2000,
        help_text="What was done, shown to the resident.",
    )


NO_CONTROL_CHARACTERS = r"^[^\x00-\x1f\x7f]*$"


class AttachmentUploadSerializer(StrictSerializer):
    file = serializers.FileField(
        help_text="A PDF, JPG, PNG or WebP; scanned for viruses and checked by "
        "its content.",
        allow_empty_file=False,
        use_url=False,
    )
    description = serializers.RegexField(
        NO_CONTROL_CHARACTERS,
        max_length=120,
        required=False,
        allow_blank=True,
        help_text="What the file is, shown to staff (e.g. Crew photo).",
        error_messages={"invalid": "Remove the control characters."},
    )
