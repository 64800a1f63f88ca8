"""The report filters, read from the URL so a view can be bookmarked and shared."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth.models import Group
from django.utils import timezone

from personalisation.models import Ward
from services.enums import Channel
from services.models import ServiceDefinition
from services.reports.queries import GROUPINGS, Filters

DEFAULT_WEEKS = 12
LONGEST_PERIOD_DAYS = 3 * 366


class DateInput(forms.DateInput):
    input_type = "date"


class ReportFilterForm(forms.Form):
    start = forms.DateField(label="From", required=False, widget=DateInput)
    end = forms.DateField(label="To", required=False, widget=DateInput)
    service = forms.ModelChoiceField(
        queryset=ServiceDefinition.objects.none(), required=False, empty_label="All"
    )
    team = forms.ModelChoiceField(
        queryset=Group.objects.none(), required=False, empty_label="All"
    )
    ward = forms.ModelChoiceField(
        queryset=Ward.objects.none(), required=False, empty_label="All"
    )
    channel = forms.ChoiceField(choices=[("", "All"), *Channel.choices], required=False)
    by = forms.ChoiceField(
        label="One row per",
        choices=[(key, label) for key, (_, label) in GROUPINGS.items()],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = ServiceDefinition.objects.order_by("name")
        self.fields["team"].queryset = (
            Group.objects.filter(service_definitions__isnull=False)
            .distinct()
            .order_by("name")
        )
        self.fields["ward"].queryset = Ward.objects.order_by("name")

    @staticmethod
    def default_period() -> tuple[datetime.date, datetime.date]:
        end = timezone.localdate()
        return end - datetime.timedelta(weeks=DEFAULT_WEEKS) + datetime.timedelta(
            days=1
        ), end

    def clean(self):
        data = super().clean()
        start, end = self.default_period()
        data["start"] = data.get("start") or start
        data["end"] = data.get("end") or end
        if data["start"] > data["end"]:
            self.add_error("end", "The end of the period must be after its start.")
        elif (data["end"] - data["start"]).days > LONGEST_PERIOD_DAYS:
            self.add_error("start", "Choose a period of 3 years or less.")
        return data

    def filters(self) -> Filters:
        """The filters asked for; the default period when the form is invalid."""
        if not self.is_valid():
            start, end = self.default_period()
            return Filters(start=start, end=end)
        data = self.cleaned_data

        def pk(name):
            return data[name].pk if data.get(name) else None

        return Filters(
            start=data["start"],
            end=data["end"],
            service=pk("service"),
            team=pk("team"),
            ward=pk("ward"),
            channel=data.get("channel") or "",
            by=data.get("by") or "service",
        )


class ChannelShiftForm(ReportFilterForm):
    baseline_start = forms.DateField(
        label="Baseline from",
        required=False,
        widget=DateInput,
        help_text="Leave empty to compare with the same weeks a year earlier.",
    )
    baseline_end = forms.DateField(
        label="Baseline to", required=False, widget=DateInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["by"]
        del self.fields["channel"]

    def clean(self):
        data = super().clean()
        first, last = data.get("baseline_start"), data.get("baseline_end")
        if bool(first) != bool(last):
            self.add_error(
                "baseline_end" if first else "baseline_start",
                "Give both dates of the baseline, or neither.",
            )
        elif first and first > last:
            self.add_error("baseline_end", "The baseline must end after it starts.")
        return data

    def baseline(self):
        if self.is_valid() and self.cleaned_data.get("baseline_start"):
            return self.cleaned_data["baseline_start"], self.cleaned_data[
                "baseline_end"
            ]
        return None
