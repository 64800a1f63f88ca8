"""Cookie consent: which cookies this site may set, as the visitor chose.

Strictly necessary cookies (the session when signing in, the CSRF token on forms,
the consent answer itself, the "hide this alert" list) need no consent.
Personalisation cookies (today: the campaign a visitor arrived from) are set only
after the visitor accepts them, and are deleted when they reject them.

The banner is the GOV.UK cookie banner and works without JavaScript: its buttons
POST the answer (``personalisation.views.answer_cookie_banner``), which stores it
and redirects back, with a one-off cookie that shows the confirmation message on
the next page. That page carries a personal cookie, so it is rendered afresh
rather than taken from the page cache.

Pages in the shared page cache must not depend on the visitor's answer, so the
banner is always in their HTML and a script hides it when the answer cookie is
present; only pages that are never cached (signed-in residents, the confirmation)
leave it out on the server.
"""

from __future__ import annotations

from django.conf import settings

CONSENT_COOKIE = "cookies_policy"
CONFIRMATION_COOKIE = "cookies_confirmation"
ACCEPTED = "accepted"
REJECTED = "rejected"
CONSENT_MAX_AGE = 60 * 60 * 24 * 365

# Cookies that make a page personal (never answered from the shared page cache).
PERSONAL_COOKIES = (CONFIRMATION_COOKIE,)


def answer(request) -> str | None:
    """``ACCEPTED``, ``REJECTED`` or ``None`` (not asked yet, or unreadable)."""
    value = request.COOKIES.get(CONSENT_COOKIE)
    return value if value in (ACCEPTED, REJECTED) else None


def personalisation_allowed(request) -> bool:
    return answer(request) == ACCEPTED


def store_answer(request, response, accepted: bool, *, confirm: bool) -> None:
    """Remember the answer (a strictly necessary cookie) and drop personalisation
    cookies when rejected; ``confirm`` shows the banner's confirmation next."""
    secure = request.is_secure()
    response.set_cookie(
        CONSENT_COOKIE,
        ACCEPTED if accepted else REJECTED,
        max_age=CONSENT_MAX_AGE,
        samesite="Lax",
        secure=secure,
        httponly=False,  # read by the script that hides the banner on cached pages
    )
    if confirm:
        response.set_cookie(
            CONFIRMATION_COOKIE,
            ACCEPTED if accepted else REJECTED,
            max_age=300,
            samesite="Lax",
            secure=secure,
            httponly=True,
        )
    if not accepted:
        from personalisation.campaigns import CAMPAIGN_COOKIE

        if CAMPAIGN_COOKIE in request.COOKIES:
            response.delete_cookie(CAMPAIGN_COOKIE, samesite="Lax")


def banner_state(request) -> str:
    """What the banner shows: ``"question"``, ``"accepted"``/``"rejected"`` (the
    one-off confirmation) or ``"none"``.

    The question is left out on the server only for requests the page cache never
    answers (a session cookie); cached copies carry it and a script hides it.
    """
    confirmation = request.COOKIES.get(CONFIRMATION_COOKIE)
    if confirmation in (ACCEPTED, REJECTED):
        return confirmation
    if answer(request) and settings.SESSION_COOKIE_NAME in request.COOKIES:
        return "none"
    return "question"
