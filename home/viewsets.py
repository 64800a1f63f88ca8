"""Wagtail admin views for the website: snippets, page feedback and the review report."""

from django.utils import timezone
from django.views.generic import TemplateView

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.generic import (
    PermissionCheckedMixin,
    WagtailAdminTemplateMixin,
)
from wagtail.admin.views.reports import PageReportView, ReportView
from wagtail.models import Page, get_page_models
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet

import django_filters

from home.models import (
    AccessibilityAuditRun,
    AlertBanner,
    BasePage,
    ContactDetails,
    PageFeedback,
)


class AlertBannerViewSet(SnippetViewSet):
    model = AlertBanner
    icon = "warning"
    menu_label = "Alert banners"
    add_to_admin_menu = True
    menu_order = 250
    list_display = ["title", "severity", "starts_at", "ends_at", "site", "live"]
    list_filter = ["severity", "live"]


class ContactDetailsViewSet(SnippetViewSet):
    model = ContactDetails
    icon = "mail"
    list_display = ["name", "phone", "email"]
    search_fields = ["name"]


class PageFeedbackFilterSet(WagtailFilterSet):
    page = django_filters.NumberFilter(field_name="page_id", label="Page ID")
    useful = django_filters.BooleanFilter(label="Useful")

    class Meta:
        model = PageFeedback
        fields = ["page", "useful"]


class PageFeedbackReportView(ReportView):
    """Feedback for every page, filterable by page; read-only (residents write it)."""

    model = PageFeedback
    page_title = "Page feedback"
    header_icon = "comment"
    index_url_name = "page_feedback_report"
    index_results_url_name = "page_feedback_report_results"
    filterset_class = PageFeedbackFilterSet
    permission_policy = ModelPermissionPolicy(PageFeedback)
    any_permission_required = ["view", "change"]
    list_export = ["page", "useful", "comment", "created_at"]
    columns = [
        Column("page", label="Page"),
        BooleanColumn("useful", label="Useful"),
        Column("comment", label="Comment"),
        DateColumn("created_at", label="Received"),
    ]

    def get_queryset(self):
        return PageFeedback.objects.select_related("page").order_by("-created_at")


def content_page_models() -> list[type[BasePage]]:
    return [model for model in get_page_models() if issubclass(model, BasePage)]


def pages_due_for_review(within_days: int = 30):
    """Pages whose review date falls within ``within_days`` or has passed.

    The review fields live on each page type's own table, so each page model is asked
    once: one query per page type, whatever the number of pages.
    """
    cutoff = timezone.localdate() + timezone.timedelta(days=within_days)
    ids = []
    for model in content_page_models():
        ids.extend(
            model.objects.filter(review_date__lte=cutoff).values_list("pk", flat=True)
        )
    return Page.objects.filter(pk__in=ids)


class ReviewDueReportView(PageReportView):
    page_title = "Pages due for review"
    header_icon = "date"
    index_url_name = "review_due_report"
    index_results_url_name = "review_due_report_results"
    any_permission_required = ["add", "change", "publish"]

    @property
    def permission_policy(self):
        from wagtail.permission_policies.pages import PagePermissionPolicy

        return PagePermissionPolicy()

    def get_queryset(self):
        return pages_due_for_review().specific().order_by("path")


class AccessibilityReportView(
    PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView
):
    """Reports → Accessibility: the latest audit run, the trend over runs and the
    failing pages with links to edit them."""

    page_title = "Accessibility"
    header_icon = "view"
    template_name = "home/a11y/admin_report.html"
    permission_policy = ModelPermissionPolicy(AccessibilityAuditRun)
    permission_required = "view"
    runs_shown = 20

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": "Accessibility"}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        runs = list(
            AccessibilityAuditRun.objects.defer("report").order_by("-finished_at")[
                : self.runs_shown
            ]
        )
        latest = (
            AccessibilityAuditRun.objects.filter(pk=runs[0].pk).first()
            if runs
            else None
        )
        failing = []
        if latest is not None:
            failing = [p for p in latest.report.get("pages", []) if p.get("violations")]
        context.update({"runs": runs, "latest": latest, "failing_pages": failing})
        return context
