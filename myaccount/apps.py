# myaccount may import services, home, personalisation and frontend.
from django.apps import AppConfig


class MyAccountConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "myaccount"
    verbose_name = "My Account"
