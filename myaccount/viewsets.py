"""Wagtail admin viewsets."""

from wagtail.admin.viewsets.model import ModelViewSet

from allauth.socialaccount.models import SocialApp


class SocialAppViewSet(ModelViewSet):
    """Social sign-in apps (Google, Microsoft, Facebook) for admins who prefer the
    admin to environment variables. Needs allauth's own model permissions."""

    model = SocialApp
    icon = "key"
    menu_label = "Social sign-in apps"
    add_to_settings_menu = True
    form_fields = ["provider", "name", "client_id", "secret", "key", "settings"]
    list_display = ["name", "provider", "client_id"]
    name = "social_apps"


social_app_viewset = SocialAppViewSet()
