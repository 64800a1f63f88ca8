"""Counts searches, page-cache hits included, without writing to the database."""

from search import querylog


class SearchQueryLogMiddleware:
    """Sits just above ``home.platform.cache.FetchPageCacheMiddleware`` so that its response
    handling also runs for pages served from the page cache (the search view sets
    ``response.search_log``, and the attribute is stored with the cached response).

    Searches answered by a CDN never reach the site and are not counted.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        entry = getattr(response, "search_log", None)
        if entry and response.status_code == 200:
            query, result_count = entry
            querylog.record_search(query, result_count)
        return response
