"""Template helpers for account pages."""

from django import template
from django.urls import reverse

from myaccount.forms import govuk_render

register = template.Library()

NAV = [
    ("Your account", "myaccount:home", ()),
    (
        "Your details",
        "myaccount:profile",
        ("/account/profile/", "/account/email/", "/account/password/"),
    ),
    ("Council tax", "myaccount:council_tax_link", ("/account/council-tax/",)),
    (
        "Organisations",
        "myaccount:organisations",
        ("/account/organisations/", "/account/invitations/"),
    ),
    (
        "Security",
        "mfa_index",
        ("/account/2fa/", "/account/sessions/", "/account/3rdparty/"),
    ),
    ("Your data", "myaccount:your_data", ("/account/your-data/", "/account/delete/")),
]


@register.simple_tag(takes_context=True)
def account_nav(context) -> list[dict]:
    request = context.get("request")
    path = request.path if request else ""
    items = []
    for text, name, prefixes in NAV:
        href = reverse(name)
        active = path == href or any(path.startswith(p) for p in prefixes)
        if name == "myaccount:home" and "dashboard" in context:
            active = True  # the My Account page itself
        items.append({"text": text, "href": href, "active": active})
    return items


@register.simple_tag
def govuk_form(form):
    """``{{ form }}`` with GOV.UK markup for forms we do not define (allauth's)."""
    return govuk_render(form) if form is not None else ""


@register.simple_tag(takes_context=True)
def admin_home_for_staff(context) -> str:
    """The admin's address for staff (shown on allauth's account-management pages,
    where two-factor enrolment ends), else an empty string."""
    from myaccount.staff import is_staff_member

    request = context.get("request")
    if request is None or not is_staff_member(request.user):
        return ""
    return reverse("wagtailadmin_home")
