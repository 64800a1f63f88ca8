"""Registration only: case work, the outbox, service definitions, partner groups,
the management reports, webhook subscriptions, API clients and contact reasons."""

from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from services.viewsets import (
    ApiClientViewSet,
    BookingSetupGroup,
    CalendarBookingsViewSet,
    CaseWorkViewSet,
    IntegrationsViewSet,
    InteractionReasonViewSet,
    OutboxViewSet,
    PartnerGroupViewSet,
    PaymentsViewSet,
    PermitsViewSet,
    ServiceDefinitionViewSet,
    WebhookSubscriptionViewSet,
)

register_snippet(ServiceDefinitionViewSet)
register_snippet(PartnerGroupViewSet)
register_snippet(WebhookSubscriptionViewSet)
register_snippet(ApiClientViewSet)
register_snippet(InteractionReasonViewSet)


@hooks.register("register_admin_viewset")
def register_integrations():
    return IntegrationsViewSet()


register_snippet(BookingSetupGroup)


@hooks.register("register_admin_viewset")
def register_payments():
    return PaymentsViewSet()


@hooks.register("register_admin_viewset")
def register_calendar_bookings():
    return CalendarBookingsViewSet()


@hooks.register("register_admin_viewset")
def register_permits():
    return PermitsViewSet()


@hooks.register("register_admin_viewset")
def register_case_work():
    return CaseWorkViewSet()


@hooks.register("register_admin_viewset")
def register_outbox():
    return OutboxViewSet()


@hooks.register("register_accessibility_journeys")
def case_accessibility_journeys():
    from services.a11y import journeys

    return journeys()


@hooks.register("register_accessibility_paths")
def case_accessibility_paths(site):
    from services.a11y import paths

    return paths(site)


@hooks.register("register_accessibility_account_pages")
def case_accessibility_account_pages():
    from services.a11y import account_pages

    return account_pages()


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        from services.reports.views import can_see_reports

        return can_see_reports(request.user)


@hooks.register("register_admin_urls")
def register_management_reports():
    from services.reports import views

    return [
        path(
            "reports/services/",
            views.ServiceReportView.as_view(),
            name="service_report",
        ),
        path(
            "reports/channel-shift/",
            views.ChannelShiftView.as_view(),
            name="channel_shift_report",
        ),
        path(
            "reports/journeys/",
            views.JourneyReportView.as_view(),
            name="journey_report",
        ),
    ]


@hooks.register("register_reports_menu_item")
def service_report_menu_item():
    return ReportMenuItem("Services", reverse("service_report"), icon_name="table")


@hooks.register("register_reports_menu_item")
def channel_shift_menu_item():
    return ReportMenuItem(
        "Channel shift", reverse("channel_shift_report"), icon_name="pick"
    )


@hooks.register("register_reports_menu_item")
def journey_report_menu_item():
    return ReportMenuItem(
        "Where residents give up", reverse("journey_report"), icon_name="form"
    )


@hooks.register("register_log_actions")
def payment_log_actions(actions):
    actions.register_action(
        "services.payment.refund", "Refund payment", "Refunded a payment"
    )
