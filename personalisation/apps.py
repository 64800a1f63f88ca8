# personalisation may import frontend (and wagtail-personalisation) only; models of
# the apps above it (cases, council tax links) are reached by name (apps.get_model).
from django.apps import AppConfig


class PersonalisationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "personalisation"
    verbose_name = "Personalisation"

    def ready(self):
        from personalisation import compat, signal_handlers

        signal_handlers.connect()
        # The device rule parses the User-Agent header each time it is tested (a
        # scan costing more than the rest of a cached page view): share results.
        compat.share_user_agent_parsing()
