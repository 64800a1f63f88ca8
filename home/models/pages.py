"""The home page and generic content pages."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404
from django.utils.functional import cached_property

from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import BaseStoryBlock, LinkBlock
from home.platform.cache import generation_cached, generation_memo
from personalisation.variants import PersonalisablePage

from .base import BasePage


class HomePage(BasePage):
    """A site's home page: top tasks, service areas (its menu children), latest news.

    Each Wagtail Site (the council site and every microsite) has one as its root.
    """

    intro = models.CharField(max_length=250, blank=True)
    top_tasks = StreamField(
        [("task", LinkBlock())],
        blank=True,
        help_text="The things most residents come to do, in order of demand.",
    )
    news_index = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The news section whose latest articles appear on the home page.",
    )
    body = StreamField(BaseStoryBlock(), blank=True)

    template = "home/pages/home_page.html"
    page_description = "The front page of the council site or of a microsite."
    # Under the root only: one per Site (the council site and each microsite).
    parent_page_types = ["wagtailcore.Page"]
    show_breadcrumbs = False

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        FieldPanel("top_tasks"),
        PageChooserPanel("news_index", ["services.NewsIndexPage"]),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("intro")]

    def route(self, request, path_components):
        """Find the deepest page on the URL's path in one query, not one per segment.

        Wagtail walks the tree a level at a time. Each site's pages all sit below its
        HomePage, so every prefix of the path is a candidate ``url_path``; the deepest
        page found takes the rest of the path through its own ``route`` (routable
        pages such as guides and the A to Z serve their sub-URLs that way).
        """
        if not path_components:
            return super().route(request, path_components)
        match = self._page_at(self.url_path + "/".join(path_components) + "/")
        if match is None:
            candidates = [
                self.url_path + "/".join(path_components[:length]) + "/"
                for length in range(1, len(path_components) + 1)
            ]
            # Only what is needed to load the page as its own type: building a
            # base ``Page`` first (every column) and then its specific row costs a
            # second model instance for nothing.
            found = (
                Page.objects.filter(url_path__in=candidates, path__startswith=self.path)
                .order_by("-depth")
                .values_list("pk", "content_type_id")
                .first()
            )
            if found is None:
                raise Http404
            pk, content_type_id = found
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            if model is None:  # a page type whose code is gone: Wagtail's fallback
                match = Page.objects.get(pk=pk).specific
            else:
                match = model._default_manager.get(pk=pk)
            if match.depth - self.depth == len(path_components):
                self._remember_page(match)
        remaining = path_components[match.depth - self.depth :]
        return match.route(request, remaining)

    # Pages found at exactly their URL, per worker and generation: a publish,
    # move or deletion starts a new generation, and each hit is checked against
    # the page it loads, so a later change never sends a URL to the wrong page.
    _ROUTES_MAX = 10_000

    def _routes(self) -> dict:
        return generation_memo(f"routes:{self.pk}", dict)

    def _remember_page(self, page) -> None:
        routes = self._routes()
        if len(routes) >= self._ROUTES_MAX:
            routes.clear()
        routes[page.url_path] = (type(page), page.pk)

    def _page_at(self, url_path: str):
        """The page whose URL is exactly ``url_path`` if this worker has found it
        before in this generation, in one query (its specific row)."""
        known = self._routes().get(url_path)
        if known is None:
            return None
        model, pk = known
        page = model.objects.filter(pk=pk).first()
        if (
            page is None
            or page.url_path != url_path
            or not page.path.startswith(self.path)
        ):
            self._routes().pop(url_path, None)
            return None
        return page

    @cached_property
    def service_areas(self) -> list[dict]:
        """Live children shown in menus: the service areas."""
        return self.cached_cards(
            "service-areas",
            lambda: (
                self.get_children()
                .live()
                .public()
                .in_menu()
                .specific()
                .defer_streamfields()
            ),
        )

    @cached_property
    def top_task_links(self) -> list[dict]:
        return self.cached_links("top-tasks", self.top_tasks)

    @cached_property
    def news_index_url(self) -> str | None:
        if not self.news_index_id:
            return None
        return generation_cached(
            f"news-index-url:{self.pk}",
            lambda: self.news_index.get_url(request=getattr(self, "_request", None)),
        )

    @cached_property
    def latest_news(self):
        """The chosen news section's newest articles, by its own ordering.

        The news section belongs to the services app, which this app may not import,
        so it is asked for its articles rather than queried here.
        """
        if not self.news_index_id:
            return []

        def articles():
            latest = getattr(self.news_index.specific, "latest_articles", None)
            return latest(3) if latest else []

        return self.cached_cards("latest-news", articles)


class StandardPage(PersonalisablePage, BasePage):
    """A generic content page (about the council, contact us, accessibility statement)."""

    body = StreamField(BaseStoryBlock(), blank=True)

    template = "home/pages/standard_page.html"
    page_description = "A general content page with headings, text and other blocks."
    parent_page_types = [
        "home.HomePage",
        "home.StandardPage",
        "services.ServiceLandingPage",
    ]
    subpage_types = ["home.StandardPage"]

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]
