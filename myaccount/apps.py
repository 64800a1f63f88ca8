# myaccount may import services, home, personalisation and frontend.
from django.apps import AppConfig


class MyAccountConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "myaccount"
    verbose_name = "My Account"

    def ready(self):
        from allauth.account.signals import email_confirmed, user_signed_up

        from myaccount import (
            checks,  # noqa: F401 - registers the system checks
            signal_handlers,
            sources_bookings,  # noqa: F401 - bookings and payments in My Account
            sources_cases,  # noqa: F401 - registers the cases timeline/data/guest adapters
            sources_contacts,  # noqa: F401 - the person's contact: data and erasure
            sources_interactions,  # noqa: F401 - interactions: data and guest adapters
        )
        from myaccount.timeline import register_builtin_sources

        email_confirmed.connect(
            signal_handlers.claim_on_email_confirmed, dispatch_uid="myaccount-claim"
        )
        user_signed_up.connect(
            signal_handlers.claim_on_signup, dispatch_uid="myaccount-claim-signup"
        )
        register_builtin_sources()
        from myaccount.erasure import register_builtin_erasers

        register_builtin_erasers()

        from myaccount.contact_routes import route_for
        from services.contact_routes import register as register_contact_routes

        register_contact_routes(route_for)

        from myaccount.bulletins import bulletin_notifications
        from myaccount.bulletins import register as register_bulletin_data
        from services.enums import OutboxTopic
        from services.outbox import register_builder

        register_builder(OutboxTopic.BULLETIN, bulletin_notifications)
        register_bulletin_data()

        from home.demo.builders import demo_content_loaded
        from myaccount.demo import add_demo_residents

        demo_content_loaded.connect(add_demo_residents, dispatch_uid="myaccount-demo")
