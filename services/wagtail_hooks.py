"""Registration only: case work, the outbox, service definitions and partner
groups."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from services.viewsets import (
    BookingSetupGroup,
    CalendarBookingsViewSet,
    CaseWorkViewSet,
    OutboxViewSet,
    PartnerGroupViewSet,
    PaymentsViewSet,
    ServiceDefinitionViewSet,
)

register_snippet(ServiceDefinitionViewSet)
register_snippet(PartnerGroupViewSet)
register_snippet(BookingSetupGroup)


@hooks.register("register_admin_viewset")
def register_payments():
    return PaymentsViewSet()


@hooks.register("register_admin_viewset")
def register_calendar_bookings():
    return CalendarBookingsViewSet()


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


@hooks.register("register_log_actions")
def payment_log_actions(actions):
    actions.register_action(
        "services.payment.refund", "Refund payment", "Refunded a payment"
    )
