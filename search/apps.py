# search may import services, home, personalisation and frontend; nothing imports it.
from django.apps import AppConfig


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from search import signal_handlers

        signal_handlers.connect()
