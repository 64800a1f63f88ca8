# personalisation may import frontend (and wagtail-personalisation) only; models of
# the apps above it (cases, council tax links) are reached by name (apps.get_model).
from django.apps import AppConfig


class PersonalisationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "personalisation"
    verbose_name = "Personalisation"

    def ready(self):
        from personalisation import signal_handlers

        signal_handlers.connect()
        _share_user_agent_parsing()


def _share_user_agent_parsing():
    """wagtail-personalisation's device rule parses the User-Agent header each time it
    is tested (a regular-expression scan costing more than the rest of a cached page
    view), once per device rule per request. Parsing is a pure function of the
    header, so the parsed results of recent headers are kept and shared."""
    import functools

    from wagtail_personalisation import rules

    if not hasattr(rules.parse, "cache_info"):
        rules.parse = functools.lru_cache(maxsize=2048)(rules.parse)
