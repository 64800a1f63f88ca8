# personalisation may import frontend only.
from django.apps import AppConfig


class PersonalisationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "personalisation"
    verbose_name = "Personalisation"
