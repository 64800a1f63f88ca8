"""The My Account dashboard: a Wagtail page editors arrange from account blocks."""

from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.utils.cache import add_never_cache_headers

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField

from home.models.base import BasePage
from myaccount.blocks import AccountStoryBlock


class MyAccountPage(BasePage):
    """Shown only to a signed-in resident, and only with their own records.

    Never cached: the response is marked private and no-store whatever the page
    cache policy would say (``apply_cache_policy`` already treats a request that
    reads the session as private).
    """

    # The accessibility audit checks it signed in as a demo resident (myaccount.a11y).
    accessibility_audit_signed_in = True

    body = StreamField(AccountStoryBlock(), blank=True)
    intro = models.CharField(max_length=250, blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
    ]

    template = "myaccount/pages/my_account_page.html"
    page_description = "The signed-in resident's dashboard (one per site)."
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
    show_feedback = False
    show_breadcrumbs = False

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        response = super().serve(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    def get_context(self, request, *args, **kwargs):
        from myaccount.dashboard import Dashboard

        context = super().get_context(request, *args, **kwargs)
        context["dashboard"] = Dashboard(request.user)
        context["saved_journeys"] = context["dashboard"].saved_journeys(request)
        return context
