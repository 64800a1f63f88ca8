"""Reports → Segment visits: how many page views each segment matched lately."""

from django.views.generic import TemplateView

from wagtail.admin.views.generic import (
    PermissionCheckedMixin,
    WagtailAdminTemplateMixin,
)
from wagtail.permission_policies import ModelPermissionPolicy

from personalisation import visits


class SegmentVisitsReportView(
    PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView
):
    page_title = "Segment visits"
    header_icon = "group"
    template_name = "personalisation/segment_visits.html"
    permission_required = "change"

    @property
    def permission_policy(self):
        from wagtail_personalisation.models import Segment

        return ModelPermissionPolicy(Segment)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        from wagtail_personalisation.models import Segment

        context = super().get_context_data(**kwargs)
        counts = visits.last_30_days()
        context["segments"] = [
            {
                "name": s.name,
                "status": s.get_status_display(),
                "visits": counts.get(s.pk, 0),
            }
            for s in Segment.objects.order_by("name")
        ]
        return context
