"""What every public page shares: summary, content ownership, caching and chrome."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from home.links import link_href
from home.platform.cache import generation_cached, request_is_personal
from home.platform.middleware import session_accessed
from personalisation.segments import segments_used


class BasePage(Page):
    """Abstract base for every public page type.

    Adds a plain-text summary (used in listings, search results and meta description),
    content ownership (an owner and a review date, reported in the admin), and the
    cache policy: anonymous GETs without a session are public and cacheable by the
    page cache and a CDN; anything else is private.
    """

    summary = models.TextField(
        max_length=300,
        blank=True,
        help_text="One or two sentences shown in listings, search results and to search engines.",
    )
    content_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The person responsible for keeping this page accurate.",
    )
    review_date = models.DateField(
        null=True,
        blank=True,
        help_text="When this page must next be checked. Pages due appear in Reports.",
    )

    content_panels = Page.content_panels + [FieldPanel("summary")]
    settings_panels = Page.settings_panels + [
        MultiFieldPanel(
            [FieldPanel("content_owner"), FieldPanel("review_date")],
            heading="Content ownership",
        )
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]

    # Page chrome that a subclass may switch off.
    show_feedback = True
    show_breadcrumbs = True

    class Meta:
        abstract = True

    @cached_property
    def breadcrumbs(self) -> list[dict]:
        """Ancestors from the site root down, as GOV.UK breadcrumb items ("Home"
        first). Cached until the next publish; one query to build."""
        return generation_cached(f"breadcrumbs:{self.pk}", self._build_breadcrumbs)

    def _build_breadcrumbs(self) -> list[dict]:
        ancestors = list(
            self.get_ancestors().filter(depth__gt=1).only("title", "url_path", "depth")
        )
        items = []
        for index_, ancestor in enumerate(ancestors):
            url = ancestor.get_url(request=getattr(self, "_request", None))
            if not url:
                continue
            items.append(
                {"text": "Home" if index_ == 0 else ancestor.title, "href": url}
            )
        return items

    def cached_cards(self, name: str, pages) -> list[dict]:
        """Listing entries (title, url, summary, date) as plain data, cached until
        the next publish. ``pages`` is a callable returning the pages to list."""
        request = getattr(self, "_request", None)

        def build():
            return [
                {
                    "title": page.title,
                    "url": page.get_url(request=request),
                    "summary": getattr(page, "summary", ""),
                    "date": getattr(page, "date", None),
                }
                for page in pages()
            ]

        return generation_cached(f"cards:{name}:{self.pk}", build)

    def cached_links(self, name: str, stream) -> list[dict]:
        """A stream of ``LinkBlock`` values as plain {text, href} data, cached until the
        next publish (saves resolving the linked pages on every view)."""
        request = getattr(self, "_request", None)

        def build():
            links = []
            for item in stream:
                href = link_href(item.value, request)
                if href:
                    links.append({"text": item.value.text, "href": href})
            return links

        return generation_cached(f"links:{name}:{self.pk}", build)

    def get_view_restrictions(self):
        """No queries when no page of any site is restricted (the usual case).

        Wagtail checks this page's and every ancestor's restrictions on each view (two
        queries). Whether any restriction exists is cached until the next change:
        saving or deleting a restriction purges the caches (``home.signal_handlers``).
        """
        if not any_view_restrictions():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    @property
    def is_due_for_review(self) -> bool:
        return bool(self.review_date and self.review_date <= timezone.localdate())

    def serve(self, request, *args, **kwargs):
        self._request = request
        return apply_cache_policy(request, super().serve(request, *args, **kwargs))


def any_view_restrictions() -> bool:
    return generation_cached(
        "any-view-restrictions", lambda: PageViewRestriction.objects.exists()
    )


def apply_cache_policy(request, response):
    """Mark a page response public (cacheable) or private.

    Public only for an anonymous GET/HEAD that carries no session or other personal
    cookie and whose response sets no cookie: such a response cannot depend on who asked. The page
    cache (``home.platform.cache``) stores only responses marked public.
    """
    if hasattr(response, "render") and not response.is_rendered:
        # Render now so the policy can see whether rendering used the CSRF token
        # or the session.
        response.render()
    if getattr(response, "streaming", False) or response.status_code != 200:
        return response
    cacheable = (
        request.method in ("GET", "HEAD")
        and not request_is_personal(request)
        and not getattr(request, "is_preview", False)
        and not response.cookies
        and not response.has_header("Cache-Control")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not session_accessed(request)
    )
    segments = segments_used(request)
    if cacheable and segments is not None:
        # Personalised for a segment: kept in the page cache per segment
        # (``home.platform.cache``), but never by browsers or a CDN, which cannot tell
        # segments apart.
        response._page_cache_segments = segments
        patch_cache_control(response, private=True, no_cache=True)
    elif cacheable:
        patch_cache_control(
            response,
            public=True,
            max_age=settings.BROWSER_CACHE_SECONDS,
            s_maxage=settings.PAGE_CACHE_SECONDS,
            stale_while_revalidate=settings.STALE_WHILE_REVALIDATE_SECONDS,
            stale_if_error=settings.STALE_IF_ERROR_SECONDS,
        )
    elif not response.has_header("Cache-Control"):
        patch_cache_control(response, private=True, no_cache=True)
    return response
