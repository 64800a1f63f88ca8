"""Wagtail admin viewsets."""

from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from allauth.socialaccount.models import SocialApp

from myaccount.models import Bulletin


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


class BulletinViewSet(SnippetViewSet):
    """Bulletins to residents subscribed to a topic; sent from the listing's
    Send link (``myaccount.admin_views.bulletin_send``)."""

    model = Bulletin
    icon = "mail"
    menu_label = "Bulletins"
    list_display = ["subject", "topic", "created_at", "send_link"]
