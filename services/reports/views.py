"""Reports → Services, Channel shift and Where residents give up (Wagtail admin).

Only for people with ``services.view_management_reports``. Filters are GET
parameters, so a view is a URL to bookmark or share; ``?format=csv`` downloads
exactly the figures table the page shows (both come from ``table()`` of the
query layer's result).
"""

from __future__ import annotations

import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.views.generic import TemplateView

from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from services.reports import charts, queries
from services.reports.forms import ChannelShiftForm, ReportFilterForm

PERMISSION = "services.view_management_reports"


def can_see_reports(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.has_perm(PERMISSION)
    )


def csv_response(filename: str, header: list[str], rows: list[list[str]]):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


class ReportView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "table"
    form_class = ReportFilterForm
    csv_name = "report"

    def dispatch(self, request, *args, **kwargs):
        if not can_see_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_form(self):
        return self.form_class(self.request.GET)

    def csv_url(self) -> str:
        query = self.request.GET.copy()
        query["format"] = "csv"
        return f"?{query.urlencode()}"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        if request.GET.get("format") == "csv":
            header, rows = context["table"]
            filters = context["filters"]
            name = f"{self.csv_name}-{filters.start}-to-{filters.end}.csv"
            return csv_response(name, header, rows)
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.get_form()
        filters = form.filters()
        context |= {"form": form, "filters": filters, "csv_url": self.csv_url()}
        context |= self.report_context(form, filters)
        return context

    def report_context(self, form, filters) -> dict:
        raise NotImplementedError


class ServiceReportView(ReportView):
    page_title = "Services"
    template_name = "services/admin/reports/services.html"
    csv_name = "services"

    def report_context(self, form, filters):
        report = queries.service_report(filters)
        trend_header, trend_rows = report.trend_table()
        chart = charts.line_chart(
            chart_id="weekly-trend",
            title="Cases opened and closed each week",
            labels=[w.label for w in report.weeks],
            series=[
                charts.Series("Opened", [w.opened for w in report.weeks]),
                charts.Series("Closed", [w.closed for w in report.weeks]),
            ],
        )
        return {
            "report": report,
            "table": report.table(),
            "trend": (trend_header, trend_rows),
            "chart": chart,
        }


class ChannelShiftView(ReportView):
    page_title = "Channel shift"
    template_name = "services/admin/reports/channel_shift.html"
    form_class = ChannelShiftForm
    csv_name = "channel-shift"

    def report_context(self, form, filters):
        shift = queries.channel_shift(filters, form.baseline())
        trend_header, trend_rows = shift.trend_table()
        chart = charts.line_chart(
            chart_id="channel-trend",
            title="Contacts by channel each week",
            labels=[m.strftime("%-d %b %Y") for m, _ in shift.weeks],
            series=[
                charts.Series(
                    label, [counts.get(value, 0) for _, counts in shift.weeks]
                )
                for value, label in shift.channels
            ],
        )
        return {
            "shift": shift,
            "table": shift.summary_table(),
            "trend": (trend_header, trend_rows),
            "chart": chart,
        }


class JourneyReportView(ReportView):
    page_title = "Where residents give up"
    template_name = "services/admin/reports/journeys.html"
    csv_name = "journeys"

    def get_form(self):
        form = super().get_form()
        for name in ("service", "team", "ward", "channel", "by"):
            del form.fields[name]
        return form

    def report_context(self, form, filters):
        funnels = queries.journey_funnels(filters.start, filters.end)
        header = ["Journey", "Step", "Question", "Message", "Times shown"]
        rows = [
            [funnel.title, *row]
            for funnel in funnels
            for row in funnel.error_table()[1]
        ]
        steps_header = ["Journey", "Week starting", "Step", "Views"]
        steps_rows = []
        for funnel in funnels:
            table_header, table_rows = funnel.table()
            for row in table_rows:
                for name, value in zip(table_header[1:], row[1:], strict=True):
                    steps_rows.append([funnel.title, row[0], name, value])
        return {
            "funnels": funnels,
            # The CSV: every journey's weekly counts, one line per step and week.
            "table": (steps_header, steps_rows),
            "errors": (header, rows),
        }
