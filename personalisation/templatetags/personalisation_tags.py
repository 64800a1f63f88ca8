"""The cookie banner, and My Account notices for the resident's segments."""

from django import template

from personalisation import consent

register = template.Library()


@register.inclusion_tag(
    "personalisation/includes/cookie_banner.html", takes_context=True
)
def cookie_banner(context):
    """The GOV.UK cookie banner: the question, the one-off confirmation, or nothing
    (see ``personalisation.consent.banner_state``)."""
    request = context.get("request")
    chrome = context.get("chrome")
    return {
        "request": request,
        "state": consent.banner_state(request) if request is not None else "none",
        "site_name": getattr(chrome, "organisation_name", "") or "this website",
    }


@register.inclusion_tag(
    "personalisation/includes/account_notices.html", takes_context=True
)
def account_notices(context):
    """Notices for the signed-in resident's segments (My Account dashboard): the
    segments are worked out once for the request, then one query."""
    from personalisation.models import AccountNotice
    from personalisation.segments import evaluate

    request = context.get("request")
    notices = []
    if request is not None and getattr(request, "user", None) is not None:
        if request.user.is_authenticated:
            segment_ids = evaluate(request)
            if segment_ids:
                notices = list(AccountNotice.objects.showing(segment_ids))
    return {"notices": notices}
