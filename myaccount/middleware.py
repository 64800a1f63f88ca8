"""Account pages are never stored by a browser's or a CDN's cache.

allauth's views set no ``Cache-Control`` of their own; every response under the
accounts prefix that has none gets ``private, no-store`` here.
"""

from django.utils.cache import add_never_cache_headers

ACCOUNT_PREFIX = "/account/"


class AccountNeverCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(ACCOUNT_PREFIX) and not response.has_header(
            "Cache-Control"
        ):
            add_never_cache_headers(response)
        return response
