"""Registration only: snippets, reports and admin URLs for the website."""

from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet

from home.viewsets import (
    AccessibilityReportView,
    AlertBannerViewSet,
    ContactDetailsViewSet,
    PageFeedbackReportView,
    ReviewDueReportView,
)

register_snippet(AlertBannerViewSet)
register_snippet(ContactDetailsViewSet)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path(
            "reports/review-due/",
            ReviewDueReportView.as_view(),
            name="review_due_report",
        ),
        path(
            "reports/review-due/results/",
            ReviewDueReportView.as_view(results_only=True),
            name="review_due_report_results",
        ),
        path(
            "reports/feedback/",
            PageFeedbackReportView.as_view(),
            name="page_feedback_report",
        ),
        path(
            "reports/feedback/results/",
            PageFeedbackReportView.as_view(results_only=True),
            name="page_feedback_report_results",
        ),
        path(
            "reports/accessibility/",
            AccessibilityReportView.as_view(),
            name="accessibility_report",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_review_due_menu_item():
    return MenuItem(
        "Pages due for review", reverse("review_due_report"), icon_name="date"
    )


class AccessibilityMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("home.view_accessibilityauditrun")


@hooks.register("register_reports_menu_item")
def register_accessibility_menu_item():
    return AccessibilityMenuItem(
        "Accessibility", reverse("accessibility_report"), icon_name="view"
    )


@hooks.register("register_reports_menu_item")
def register_feedback_menu_item():
    return MenuItem(
        "Page feedback", reverse("page_feedback_report"), icon_name="comment"
    )


@hooks.register("register_page_listing_more_buttons")
def page_feedback_button(page, user, next_url=None):
    yield ListingButton(
        "Feedback", f"{reverse('page_feedback_report')}?page={page.pk}", priority=65
    )


@hooks.register("register_rich_text_features", order=100)
def use_council_page_links(features):
    """Page links in rich text: cached and site-relative (``home.richtext``).
    Registered after Wagtail's own handler (order 100) so it replaces it."""
    from home.richtext import CouncilPageLinkHandler

    features.register_link_type(CouncilPageLinkHandler)


@hooks.register("register_accessibility_paths")
def site_error_pages(site):
    """States outside the page tree that every site has, for the accessibility audit:
    not found, and the 400 page a request carrying a NUL gets (``home.platform.input``)."""
    return [
        ("Page not found", "/this-page-does-not-exist/"),
        ("Bad request", "/search/?q=bins%00"),
    ]


@hooks.register("register_accessibility_journeys")
def site_accessibility_journeys():
    from home.a11y.cookies import cookie_journeys
    from home.a11y.journeys import site_journeys

    return [*site_journeys(), *cookie_journeys()]
