"""Wagtail admin: My Account notices as a snippet."""

from wagtail.snippets.views.snippets import SnippetViewSet

from personalisation.models import AccountNotice


class AccountNoticeViewSet(SnippetViewSet):
    model = AccountNotice
    icon = "info-circle"
    menu_label = "My Account notices"
    add_to_admin_menu = True
    menu_order = 251
    list_display = ["title", "starts_at", "ends_at", "live"]
    list_filter = ["live"]
