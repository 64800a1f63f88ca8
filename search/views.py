"""Site search: the results page, suggestions, and the result links that count clicks.

The results page is cacheable for anonymous visitors (the page cache and a CDN):
counting searches happens in ``search.middleware`` for cache hits and misses alike,
without a database write. Result links go through ``click``, which counts the click
the same way and redirects to a page or document chosen by id, never to a URL taken
from the request (no open redirect), so clicks are counted without JavaScript.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.documents import get_document_model
from wagtail.models import Page, Site

from home.models import apply_cache_policy
from home.platform.cache import page_cacheable
from search import querylog
from search.analysis import MAX_QUERY_LENGTH, clean_query
from search.forms import SearchForm
from search.queries import MAX_PAGE, SiteSearch


@page_cacheable
@require_GET
def search(request):
    site = Site.find_for_request(request)
    form = SearchForm(request.GET if "q" in request.GET else None)
    results = page_obj = None
    query = ""
    if form.is_bound and form.is_valid() and site:
        query = form.cleaned_data["q"]
        filters = form.filters()
        results = SiteSearch(
            text=query,
            site=site,
            section=filters["section"],
            kind=filters["kind"],
            page=filters["page"],
            request=request,
        ).results()
        _add_facet_links(query, results)
        # Links stop at the deepest page served (MAX_PAGE), however many results.
        shown = min(results.total, MAX_PAGE * results.per_page)
        paginator = Paginator(range(shown), results.per_page)
        page_obj = paginator.get_page(results.page) if results.total else None
    elif form.is_bound and not form.errors.get("q"):
        query = clean_query(request.GET.get("q", ""))
    context = {
        "form": form,
        "query": query,
        "results": results,
        "page_obj": page_obj,
        "notice": (
            f"Your search was too long, so only its first {MAX_QUERY_LENGTH} "
            "characters were used."
            if form.is_bound and getattr(form, "was_shortened", False)
            else ""
        ),
        "querystring": _querystring(query, results),
        "base_querystring": urlencode({"q": query}) if query else "",
    }
    response = TemplateResponse(request, "search/search.html", context)
    response = apply_cache_policy(request, response)
    if results is not None and results.page == 1 and not _filtered(results):
        # Read by search.middleware (also when the response comes from the cache).
        # Later pages and filtered views refine a search already counted.
        response.search_log = (query, results.total + len(results.best_bets))
    return response


def _add_facet_links(query: str, results) -> None:
    """Each filter link keeps the other filter and toggles its own."""
    section = next((f.value for f in results.sections if f.selected), "")
    kind = next((f.value for f in results.kinds if f.selected), "")

    def link(**chosen) -> str:
        params = {"q": query, "section": section, "type": kind} | chosen
        return "?" + urlencode({k: v for k, v in params.items() if v})

    for facet in results.sections:
        facet.href = link(section="" if facet.selected else facet.value)
    for facet in results.kinds:
        facet.href = link(type="" if facet.selected else facet.value)
    results.all_sections_href = link(section="")
    results.all_kinds_href = link(type="")


def _filtered(results) -> bool:
    return any(f.selected for f in results.sections + results.kinds)


def _querystring(query: str, results) -> str:
    """The current search without ``page=``, for the pagination links."""
    if not query:
        return ""
    params = {"q": query}
    if results is not None:
        for facet in results.sections:
            if facet.selected:
                params["section"] = facet.value
        for facet in results.kinds:
            if facet.selected:
                params["type"] = facet.value
    return urlencode(params)


@require_GET
def click(request):
    """Count a click on a result and redirect to it.

    The destination is a live page (``p``), a document (``d``) or a best bet
    (``b``), looked up by id: a URL in the request is never followed.
    """
    target = None
    try:
        if "p" in request.GET:
            page = Page.objects.live().get(pk=int(request.GET["p"]))
            if page.get_view_restrictions().exists():
                raise Http404
            target = page.get_url(request=request)
        elif "d" in request.GET:
            target = get_document_model().objects.get(pk=int(request.GET["d"])).url
        elif "b" in request.GET:
            promotion = SearchPromotion.objects.select_related("page").get(
                pk=int(request.GET["b"])
            )
            target = (
                promotion.page.get_url(request=request)
                if promotion.page_id
                else promotion.external_link_url
            )
    except (ValueError, TypeError, Page.DoesNotExist, SearchPromotion.DoesNotExist):
        raise Http404 from None
    except get_document_model().DoesNotExist:
        raise Http404 from None
    if not target:
        raise Http404
    querylog.record_click(request.GET.get("q", ""))
    response = HttpResponseRedirect(target)
    # Every click must reach us to be counted: no shared or browser caching.
    patch_cache_control(response, private=True, no_store=True)
    return response


@page_cacheable
@require_GET
def suggest(request):
    """Up to six pages whose titles start with what has been typed, as JSON, for the
    header box's suggestions (public and cacheable like the results page)."""
    site = Site.find_for_request(request)
    text = clean_query(request.GET.get("q", ""))[:100]
    suggestions = []
    if site and len(text) >= 2:
        for hit in SiteSearch(text=text, site=site, request=request).suggestions():
            suggestions.append(
                {
                    "title": hit.title,
                    "url": hit.url,
                    "section": hit.section,
                }
            )
    response = JsonResponse(
        {
            "query": text,
            "suggestions": suggestions,
            "search_url": f"{reverse('search')}?{urlencode({'q': text})}",
        }
    )
    return apply_cache_policy(request, response)
