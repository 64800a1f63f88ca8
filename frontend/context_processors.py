"""Values every template needs, computed without touching the session.

Reading ``request.user`` on an anonymous request would read the session and add
``Vary: Cookie``, which makes every public page uncacheable. ``has_session`` tells
templates whether a session could exist at all, so anonymous visitors without one
never cause that read.
"""

from django.conf import settings


def frontend(request):
    return {
        "has_session": settings.SESSION_COOKIE_NAME in request.COOKIES,
    }
