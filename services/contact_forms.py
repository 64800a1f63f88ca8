"""Forms of the contact centre's person page and case page: consents, handing
work to another team, and the two-click interaction on a case."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import Group

from services.enums import Channel, InteractionChannel, InteractionOutcome
from services.models import ConsentPurpose, InteractionReason


def teams():
    """Groups that own a service: the teams work can be handed to."""
    return (
        Group.objects.filter(service_definitions__isnull=False)
        .distinct()
        .order_by("name")
    )


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(
        choices=ConsentPurpose.choices,
        widget=forms.RadioSelect,
        label="What did they agree to or refuse?",
        error_messages={"required": "Choose what they agreed to or refused"},
    )
    granted = forms.TypedChoiceField(
        choices=[("yes", "They agreed"), ("no", "They refused or withdrew")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        label="Their answer",
        error_messages={"required": "Choose their answer"},
    )
    channel = forms.ChoiceField(
        choices=Channel.choices, initial=Channel.PHONE, label="How they told us"
    )


class HandoverForm(forms.Form):
    to_team = forms.ModelChoiceField(
        queryset=Group.objects.none(),
        label="Hand to team",
        empty_label="Choose a team",
        error_messages={"required": "Choose the team to hand it to"},
    )
    note = forms.CharField(
        label="Note for the team",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write a note for the team"},
    )

    def __init__(self, *args, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = teams()
        if exclude is not None:
            queryset = queryset.exclude(pk=exclude.pk)
        self.fields["to_team"].queryset = queryset


class QuickInteractionForm(forms.Form):
    """On a case: choose the reason, then press the button for the outcome (two
    clicks). A phone call unless staff say otherwise."""

    OUTCOMES = (
        InteractionOutcome.ANSWERED,
        InteractionOutcome.ANSWERED_FROM_WEBSITE,
    )

    reason = forms.ModelChoiceField(
        queryset=InteractionReason.objects.none(),
        widget=forms.RadioSelect,
        label="Why did they get in touch?",
        empty_label=None,
        error_messages={"required": "Choose why they got in touch"},
    )
    channel = forms.ChoiceField(
        choices=InteractionChannel.choices,
        initial=InteractionChannel.PHONE,
        label="How",
    )
    outcome = forms.ChoiceField(
        choices=[(o.value, o.label) for o in OUTCOMES],
        initial=InteractionOutcome.ANSWERED,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = InteractionReason.objects.filter(live=True)
