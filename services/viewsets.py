"""Wagtail admin viewsets: service definitions and partner groups as snippets,
and the case-work views grouped as one ``ViewSet``."""

from django.urls import path

from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from services import admin_views, attachment_views, integrations_admin, outbox_admin
from services.models import (
    ApiClient,
    BlackoutDay,
    Calendar,
    InteractionReason,
    PartnerGroup,
    PermitScheme,
    PriceList,
    Round,
    ServiceDefinition,
    Slot,
    WebhookSubscription,
)
from services.payments import admin_views as payment_admin
from services.permits import admin_views as permit_admin


class ServiceDefinitionViewSet(SnippetViewSet):
    model = ServiceDefinition
    icon = "tasks"
    menu_label = "Service definitions"
    list_display = ["name", "reference_prefix", "case_type", "team", "sla_days"]
    search_fields = ["name", "case_type"]


class PartnerGroupViewSet(SnippetViewSet):
    model = PartnerGroup
    icon = "group"
    menu_label = "Partner organisations"
    list_display = ["organisation_name", "group"]


class WebhookSubscriptionViewSet(SnippetViewSet):
    model = WebhookSubscription
    icon = "link-external"
    menu_label = "Webhook subscriptions"
    list_display = ["name", "url", "active", "secret_link"]


class ApiClientViewSet(SnippetViewSet):
    model = ApiClient
    icon = "key"
    menu_label = "API clients"
    list_display = ["name", "can_write", "last_used_at", "token_link"]


class IntegrationsViewSet(ViewSet):
    """A subscription's signing secret and an API client's token (linked from
    their snippet listings; not in the menu)."""

    name = "services_integrations"
    url_prefix = "integrations"

    def get_urlpatterns(self):
        return [
            path(
                "webhooks/<int:pk>/secret/",
                integrations_admin.webhook_secret,
                name="webhook_secret",
            ),
            path(
                "api-clients/<int:pk>/token/",
                integrations_admin.api_client_token,
                name="api_client_token",
            ),
        ]


class InteractionReasonViewSet(SnippetViewSet):
    """Why people get in touch: the list staff choose from when they log a call,
    email, visit or letter, and how long each kind is kept."""

    model = InteractionReason
    icon = "list-ul"
    menu_label = "Contact reasons"
    list_display = ["name", "live", "retention_days"]
    search_fields = ["name"]


class CaseWorkMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.works_cases(request.user)


class CaseWorkViewSet(ViewSet):
    """Queues and the case page (not a ModelViewSet: staff never create or
    edit a case as a form; they act on it through ``services.actions``)."""

    name = "services_cases"
    url_prefix = "cases"
    icon = "tasks"
    menu_label = "Cases"
    menu_order = 150
    add_to_admin_menu = True

    def get_urlpatterns(self):
        return [
            path("", admin_views.case_list, name="list"),
            path("assign/", admin_views.bulk_assign, name="bulk_assign"),
            path("for-a-caller/", admin_views.on_behalf_start, name="on_behalf"),
            path(
                "for-a-caller/finish/",
                admin_views.on_behalf_finish,
                name="on_behalf_finish",
            ),
            path("<int:pk>/", admin_views.case_detail, name="detail"),
            path(
                "export/<int:service_id>/",
                admin_views.case_export_csv,
                name="export",
            ),
            path(
                "<int:pk>/files/<int:attachment_id>/",
                attachment_views.case_attachment,
                name="attachment",
            ),
        ]

    @property
    def menu_item_class(self):
        return CaseWorkMenuItem


class OutboxMenuItem(MenuItem):
    def is_shown(self, request):
        return outbox_admin.can_manage_outbox(request.user)


class OutboxViewSet(ViewSet):
    """Undelivered case emails and dead letters, with a resend action."""

    name = "services_outbox"
    url_prefix = "outbox"
    icon = "mail"
    menu_label = "Outgoing messages"
    menu_order = 160
    add_to_admin_menu = True

    def get_urlpatterns(self):
        return [
            path("", outbox_admin.outbox_list, name="list"),
            path("resend/", outbox_admin.outbox_resend, name="resend"),
        ]

    @property
    def menu_item_class(self):
        return OutboxMenuItem


class PriceListViewSet(SnippetViewSet):
    model = PriceList
    icon = "list-ul"
    menu_label = "Price lists"
    list_display = ["name", "slug", "max_items"]


class CalendarViewSet(SnippetViewSet):
    model = Calendar
    icon = "date"
    menu_label = "Calendars"
    list_display = ["name", "slug", "hold_minutes", "cutoff_hours"]


class RoundViewSet(SnippetViewSet):
    model = Round
    icon = "site"
    menu_label = "Rounds"
    list_display = ["name", "calendar"]
    list_filter = ["calendar"]


class SlotViewSet(SnippetViewSet):
    model = Slot
    icon = "time"
    menu_label = "Slots"
    list_display = ["__str__", "round", "kind", "capacity"]
    list_filter = ["calendar"]


class BlackoutDayViewSet(SnippetViewSet):
    model = BlackoutDay
    icon = "cross"
    menu_label = "Blackout days"
    list_display = ["date", "reason", "calendar"]


class PermitSchemeViewSet(SnippetViewSet):
    model = PermitScheme
    icon = "key"
    menu_label = "Permit schemes"
    list_display = ["name", "kind", "number_prefix", "year_start_month", "pro_rata"]


class BookingSetupGroup(SnippetViewSetGroup):
    menu_label = "Bookings setup"
    menu_icon = "date"
    menu_order = 170
    items = (
        PriceListViewSet,
        CalendarViewSet,
        RoundViewSet,
        SlotViewSet,
        BlackoutDayViewSet,
        PermitSchemeViewSet,
    )


class PaymentsMenuItem(MenuItem):
    def is_shown(self, request):
        return payment_admin.can_manage(request.user, "services.change_payment")


class PaymentsViewSet(ViewSet):
    """Payments with refunds (reason, audit-logged)."""

    name = "services_payments"
    url_prefix = "payments"
    icon = "form"
    menu_label = "Payments"
    menu_order = 165
    add_to_admin_menu = True

    def get_urlpatterns(self):
        return [
            path("", payment_admin.payment_list, name="list"),
            path("<int:pk>/", payment_admin.payment_detail, name="detail"),
            path(
                "reconciliation/",
                payment_admin.reconciliation,
                name="reconciliation",
            ),
        ]

    @property
    def menu_item_class(self):
        return PaymentsMenuItem


class PermitsMenuItem(MenuItem):
    def is_shown(self, request):
        return permit_admin.can_see_permits(request.user)


class PermitsViewSet(ViewSet):
    """Every garden waste subscription and resident parking permit."""

    name = "services_permits"
    url_prefix = "permits"
    icon = "key"
    menu_label = "Permits"
    menu_order = 167
    add_to_admin_menu = True

    def get_urlpatterns(self):
        return [path("", permit_admin.permit_list, name="list")]

    @property
    def menu_item_class(self):
        return PermitsMenuItem


class CalendarsMenuItem(MenuItem):
    def is_shown(self, request):
        return payment_admin.can_manage(request.user, "services.change_booking")


class CalendarBookingsViewSet(ViewSet):
    """Each calendar's bookings and places left; staff cancel a booking."""

    name = "services_calendars"
    url_prefix = "bookings"
    icon = "date"
    menu_label = "Bookings"
    menu_order = 166
    add_to_admin_menu = True

    def get_urlpatterns(self):
        return [
            path("", payment_admin.calendar_index, name="index"),
            path("<int:pk>/", payment_admin.calendar_bookings, name="bookings"),
            path(
                "<int:pk>/move/<int:booking_pk>/",
                payment_admin.move_booking,
                name="move",
            ),
        ]

    @property
    def menu_item_class(self):
        return CalendarsMenuItem
