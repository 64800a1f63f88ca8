"""What the case API reads and accepts. Every input serializer refuses fields it
does not know (a typo must not pass silently) and bounds every string."""

from __future__ import annotations

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
