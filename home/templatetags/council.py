"""Page chrome shared by every site: alert banners and the site's own settings."""

from django import template

from wagtail.models import Site

from home.links import link_href
from home.models import AlertBanner
from home.sanitise import sanitise_rich_text
from home.views import dismissed_alert_ids

register = template.Library()


@register.inclusion_tag("home/includes/alerts.html", takes_context=True)
def alert_banners(context):
    """Active alerts for the current site, minus those this browser has hidden.

    The page stays cacheable: hidden alerts are removed server-side only for
    requests that carry the cookie, and a small script hides them on cached copies.
    """
    request = context.get("request")
    alerts = []
    if request is not None:
        site = Site.find_for_request(request)
        hidden = dismissed_alert_ids(request)
        alerts = [
            alert
            for alert in AlertBanner.objects.active_for_site(site)
            if not (alert.dismissible and alert.pk in hidden)
        ]
    return {"alerts": alerts, "request": request}


register.filter("link_href", link_href)


@register.filter
def sanitised(value) -> str:
    """Rich text (a ``RichText`` value or stored HTML) expanded and sanitised."""
    return sanitise_rich_text(getattr(value, "source", value) or "")
