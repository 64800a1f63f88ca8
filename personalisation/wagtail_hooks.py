"""Keep wagtail-personalisation's segment builder, drop its per-request writes.

The library's ``before_serve_page`` hooks store segments and visit counts in the
session on every page view and read ``request.user`` for a preview switch, which
marks every response ``Vary: Cookie``. Segments are evaluated lazily instead
(``personalisation.segments``); the preview switch is ``?segment=<id>`` for people
signed in to the admin. ``wagtail_personalisation`` is listed before this app in
``INSTALLED_APPS`` so its hooks are registered by the time this module runs.
"""

from django.urls import reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.userbar import BaseItem
from wagtail.snippets.models import register_snippet

from personalisation.compat import unregister_hooks
from personalisation.viewsets import AccountNoticeViewSet

_DROPPED = {
    "before_serve_page": {
        "set_visit_count",
        "segment_user",
        # Served by ``personalisation.variants.serve_variant`` instead (no query for
        # pages without variants, no write, a 404 for variants at their own URL).
        "serve_variant",
    },
    # Written for an older userbar (two arguments; Wagtail 8 passes three): it
    # breaks every page for signed-in editors. Replaced below.
    "construct_wagtail_userbar": {"add_segment_link_items"},
}


def _drop_library_request_hooks():
    for hook_name, names in _DROPPED.items():
        unregister_hooks(hook_name, "wagtail_personalisation.wagtail_hooks", names)


_drop_library_request_hooks()
register_snippet(AccountNoticeViewSet)


@hooks.register("before_serve_page")
def serve_page_variant(page, request, serve_args, serve_kwargs):
    from personalisation.variants import serve_variant

    return serve_variant(page, request, serve_args, serve_kwargs)


class ViewAsSegmentItem(BaseItem):
    """A userbar link that previews the page as a segment sees it."""

    template_name = "personalisation/userbar_segment.html"

    def __init__(self, segment_id: int, name: str):
        self.segment_id = segment_id
        self.name = name


@hooks.register("construct_wagtail_userbar")
def add_view_as_segment_items(request, items, page=None):
    from personalisation.segments import segment_definitions

    for segment in segment_definitions():
        items.append(ViewAsSegmentItem(segment.id, segment.name))


@hooks.register("register_admin_urls", order=-1)
def replace_library_copy_page_url():
    """Before the library's own URLs, so its "create variant" buttons (which
    reverse ``segment:copy_page`` to this same path) come here."""
    from django.urls import path

    from personalisation.views import copy_page_for_segment

    return [
        path(
            "personalisation/<int:page_id>/copy/<int:segment_id>",
            copy_page_for_segment,
            name="personalisation_copy_page",
        )
    ]


@hooks.register("register_admin_urls")
def register_segment_visits_url():
    from django.urls import path

    from personalisation.views import SegmentVisitsReportView

    return [
        path(
            "reports/segment-visits/",
            SegmentVisitsReportView.as_view(),
            name="segment_visits_report",
        )
    ]


class _SegmentVisitsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("wagtail_personalisation.change_segment")


@hooks.register("register_reports_menu_item")
def register_segment_visits_menu_item():
    return _SegmentVisitsMenuItem(
        "Segment visits", reverse("segment_visits_report"), icon_name="group"
    )
