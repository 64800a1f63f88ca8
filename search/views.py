"""Site search: the live pages of the current site, through Wagtail's search backend."""

from urllib.parse import urlencode

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from wagtail.models import Page, Site

from home.cache import page_cacheable
from home.models import apply_cache_policy

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200


def clean_query(raw: str) -> str:
    """The query as searched: printable characters only, whitespace folded, bounded."""
    printable = "".join(
        ch if ch.isprintable() else " " for ch in raw[: MAX_QUERY_LENGTH * 4]
    )
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


@page_cacheable
@require_GET
def search(request):
    query = clean_query(request.GET.get("q", ""))
    site = Site.find_for_request(request)
    page_obj = None
    if query and site:
        results = (
            Page.objects.live()
            .public()
            .descendant_of(site.root_page, inclusive=True)
            .specific()
            .search(query)
        )
        paginator = Paginator(results, RESULTS_PER_PAGE)
        try:
            page_obj = paginator.page(request.GET.get("page", 1))
        except (EmptyPage, PageNotAnInteger):
            page_obj = paginator.page(1)
    response = TemplateResponse(
        request,
        "search/search.html",
        {
            "query": query,
            "page_obj": page_obj,
            "querystring": urlencode({"q": query}) if query else "",
        },
    )
    return apply_cache_policy(request, response)
