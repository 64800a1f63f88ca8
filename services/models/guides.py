"""Multi-part guides: one page, each part at its own URL with a contents list."""

from django.db import models
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.text import slugify

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from home.blocks import BaseStoryBlock
from home.models import BasePage, apply_cache_policy


class GuidePart(Orderable):
    guide = ParentalKey(
        "services.GuidePage", on_delete=models.CASCADE, related_name="parts"
    )
    title = models.CharField(max_length=120)
    body = StreamField(BaseStoryBlock())

    panels = [FieldPanel("title"), FieldPanel("body")]

    @property
    def slug(self) -> str:
        return slugify(self.title)


class GuidePage(RoutablePageMixin, BasePage):
    """A guide in parts (GOV.UK guide pattern): contents list, previous and next.

    The first part is served at the guide's URL, the others at ``<guide>/<part-slug>/``.
    """

    template = "services/pages/guide_page.html"
    page_description = "A guide in several parts, each with its own page."
    parent_page_types = ["services.ServiceLandingPage", "home.HomePage"]
    subpage_types = []

    content_panels = BasePage.content_panels + [
        InlinePanel("parts", heading="Parts", label="Part", min_num=1)
    ]
    search_fields = BasePage.search_fields + [
        index.RelatedFields(
            "parts", [index.SearchField("title"), index.SearchField("body")]
        )
    ]

    def serve(self, request, *args, **kwargs):
        # RoutablePageMixin.serve calls the route directly, skipping BasePage.serve.
        self._request = request
        return apply_cache_policy(request, super().serve(request, *args, **kwargs))

    @cached_property
    def all_parts(self) -> list[GuidePart]:
        return list(self.parts.all())

    def accessibility_audit_paths(self) -> list[tuple[str, str]]:
        """Every part after the first (the first is the page's own URL)."""
        return [(part.title, f"{part.slug}/") for part in self.all_parts[1:]]

    def get_cached_paths(self) -> list[str]:
        """Every part, for the front cache's purge (``home.platform.frontcache``)."""
        return ["/", *(f"/{part.slug}/" for part in self.all_parts[1:])]

    def part_url(self, part: GuidePart, request=None) -> str:
        base = self.get_url(request=request)
        if part is self.all_parts[0]:
            return base
        return f"{base}{part.slug}/"

    def _serve_part(self, request, index_: int):
        parts = self.all_parts
        if not parts or index_ >= len(parts):
            raise Http404
        contents = [
            {
                "title": p.title,
                "href": self.part_url(p, request),
                "current": i == index_,
            }
            for i, p in enumerate(parts)
        ]
        return self.render(
            request,
            context_overrides={
                "part": parts[index_],
                "part_number": index_ + 1,
                "contents": contents,
                "previous_part": contents[index_ - 1] if index_ > 0 else None,
                "next_part": contents[index_ + 1]
                if index_ + 1 < len(contents)
                else None,
            },
        )

    @path("")
    def first_part(self, request):
        return self._serve_part(request, 0)

    @path("<slug:part_slug>/")
    def other_part(self, request, part_slug):
        for index_, part in enumerate(self.all_parts):
            if index_ and part.slug == part_slug:
                return self._serve_part(request, index_)
        raise Http404

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        if urls:
            for part in self.all_parts[1:]:
                urls.append(
                    {**urls[0], "location": f"{urls[0]['location']}{part.slug}/"}
                )
        return urls

    @cached_property
    def step_by_steps(self):
        from .step_by_step import step_by_steps_linking_to

        return step_by_steps_linking_to(self, getattr(self, "_request", None))
