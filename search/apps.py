# search may import services, home, personalisation and frontend; nothing imports it.
from django.apps import AppConfig


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from home import readiness
        from search import signal_handlers
        from search.indexing import ready_state

        signal_handlers.connect()
        readiness.register("search", ready_state)
