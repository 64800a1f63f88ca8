# personalisation may import frontend (and wagtail-personalisation) only.
from django.apps import AppConfig


class PersonalisationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "personalisation"
    verbose_name = "Personalisation"

    def ready(self):
        from personalisation import signal_handlers

        signal_handlers.connect()
