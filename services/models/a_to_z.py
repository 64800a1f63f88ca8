"""The A to Z of services: every live service page of the site, by first letter."""

import string

from django.core.paginator import Paginator
from django.db.models.functions import Substr, Upper
from django.http import Http404
from django.utils.functional import cached_property

from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from home.models import BasePage, apply_cache_policy
from home.platform.cache import generation_cached

from .service_pages import ServicePage

LETTERS = list(string.ascii_uppercase)
SERVICES_PER_LETTER_PAGE = 100


class AToZPage(RoutablePageMixin, BasePage):
    """Letters at ``/a-to-z/``, each letter's services at ``/a-to-z/<letter>/``.

    One page per letter keeps every response small however many services there are.
    """

    template = "services/pages/a_to_z_page.html"
    page_description = "The A to Z of the site's services."
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    def serve(self, request, *args, **kwargs):
        self._request = request
        return apply_cache_policy(request, super().serve(request, *args, **kwargs))

    def get_cached_paths(self) -> list[str]:
        """The letters too, for the front cache's purge (``home.platform.frontcache``)."""
        return ["/", *(f"/{letter.lower()}/" for letter in LETTERS)]

    def services_on_site(self):
        site_root = self.get_parent()
        return ServicePage.objects.live().public().descendant_of(site_root)

    @cached_property
    def letters_with_services(self) -> set[str]:
        """Cached until the next publish, like every listing."""
        return set(
            generation_cached(
                f"a-to-z-letters:{self.pk}",
                lambda: sorted(
                    self.services_on_site()
                    .annotate(letter=Upper(Substr("title", 1, 1)))
                    .values_list("letter", flat=True)
                    .distinct()
                ),
            )
        )

    def accessibility_audit_paths(self) -> list[tuple[str, str]]:
        """Each letter that has services."""
        return [
            (f"letter {letter}", f"{letter.lower()}/")
            for letter in sorted(self.letters_with_services)
        ]

    def letter_links(self, current: str | None, request) -> list[dict]:
        base = self.get_url(request=request)
        present = self.letters_with_services
        return [
            {
                "letter": letter,
                "href": f"{base}{letter.lower()}/" if letter in present else None,
                "current": letter == current,
            }
            for letter in LETTERS
        ]

    def services_page(self, letter: str, number):
        """One page of the letter's services as plain data (title, url, summary),
        cached until the next publish: no query per view however many services."""
        services = self.services_on_site().filter(title__istartswith=letter)
        count = generation_cached(f"a-to-z-count:{self.pk}:{letter}", services.count)
        page = Paginator(range(count), SERVICES_PER_LETTER_PAGE).get_page(number)
        if not count:
            page.object_list = []
            return page
        page.object_list = self.cached_cards(
            f"a-to-z:{letter}:{page.number}",
            lambda: (
                services.order_by("title")
                .defer_streamfields()
                .only("title", "summary", "url_path", "path", "depth")[
                    page.start_index() - 1 : page.end_index()
                ]
            ),
        )
        return page

    @path("")
    def index(self, request):
        return self.render(
            request, context_overrides={"letters": self.letter_links(None, request)}
        )

    @path("<str:letter>/")
    def letter(self, request, letter):
        letter = letter.upper()
        if letter not in LETTERS:
            raise Http404
        page_obj = self.services_page(letter, request.GET.get("page"))
        return self.render(
            request,
            context_overrides={
                "letters": self.letter_links(letter, request),
                "letter": letter,
                "services": page_obj.object_list,
                "page_obj": page_obj,
            },
        )
