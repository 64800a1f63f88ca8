# personalisation may import frontend only; higher apps plug in through registries.
from django.apps import AppConfig


class PersonalisationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "personalisation"
    verbose_name = "Personalisation"

    def ready(self):
        from personalisation import (  # noqa: F401 - checks registers the system checks
            checks,
            compat,
            rule_types,
            signal_handlers,
        )

        signal_handlers.connect()
        compat.offer_rule_types(rule_types.OfferedRuleTypes())
        compat.build_segment_builder_panels()
        # The device rule parses the User-Agent header each time it is tested (a
        # scan costing more than the rest of a cached page view): share results.
        compat.share_user_agent_parsing()
