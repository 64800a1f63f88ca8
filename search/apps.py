# search may import home and services; nothing imports search.
from django.apps import AppConfig


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from search import signal_handlers

        signal_handlers.connect()
