# home may import frontend and personalisation.
from django.apps import AppConfig


class HomeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "home"
    verbose_name = "Website"

    def ready(self):
        from . import signal_handlers  # noqa: F401
