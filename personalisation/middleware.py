"""Personalisation cookies on the way out: the remembered campaign (with consent
only) and the one-off confirmation of a cookie banner answer.

Listed after the page cache's update middleware and before its fetch middleware,
so it also sees pages answered from the cache; a response it sets a cookie on is
never stored in, nor sent as, a shared copy.
"""

from django.utils.cache import add_never_cache_headers

from personalisation import campaigns, consent


class PersonalisationCookiesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        changed = False
        if consent.CONFIRMATION_COOKIE in request.COOKIES:
            # Shown once (the banner rendered it on this page).
            response.delete_cookie(consent.CONFIRMATION_COOKIE, samesite="Lax")
            changed = True
        if request.GET and consent.personalisation_allowed(request):
            found = campaigns.to_remember(request)
            if found:
                campaigns.remember(request, response, found)
                changed = True
        if changed:
            add_never_cache_headers(response)
        return response
