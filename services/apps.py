# services may import home, personalisation and frontend.
from django.apps import AppConfig


class ServicesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "services"
    verbose_name = "Services"

    def ready(self):
        from home.demo.builders import demo_pages_ready
        from services import (  # noqa: F401 - registers checks and signal handlers
            checks,
            signal_handlers,
        )
        from services.demo import add_demo_cases

        demo_pages_ready.connect(add_demo_cases, dispatch_uid="services-demo")
        from services.demo_forms import add_demo_forms

        demo_pages_ready.connect(add_demo_forms, dispatch_uid="services-demo-forms")

        from personalisation.bookings import register_booking_provider
        from services.bookings.segments import upcoming_booking

        register_booking_provider(upcoming_booking)

        from services.payments.actions import FULFILMENT_HOOKS
        from services.permits.actions import fulfil_permit_payment

        if fulfil_permit_payment not in FULFILMENT_HOOKS:
            FULFILMENT_HOOKS.append(fulfil_permit_payment)
