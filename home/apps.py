# home may import frontend and personalisation.
from django.apps import AppConfig


class HomeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "home"
    verbose_name = "Website"

    def ready(self):
        from personalisation.demo import add_to_demo

        from . import signal_handlers  # noqa: F401
        from .demo.builders import demo_pages_ready

        # Apps above home connect their own demo receivers; personalisation is
        # below home and cannot import it, so home connects it here.
        demo_pages_ready.connect(add_to_demo, dispatch_uid="personalisation-demo")
