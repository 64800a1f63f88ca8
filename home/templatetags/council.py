"""Page chrome shared by every site: alert banners and the site's own settings."""

from django import template
from django.db.models import Q
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe

from wagtail.models import Site

from home.links import link_href
from home.models import AlertBanner
from home.platform.cache import generation_cached
from home.platform.sanitise import sanitise_rich_text
from home.views import dismissed_alert_ids
from personalisation.segments import evaluate, forced_segment, in_segment

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
        now = timezone.now()
        alerts = [
            alert
            for alert in site_alerts(site)
            if alert["starts_at"] <= now
            and (alert["ends_at"] is None or alert["ends_at"] > now)
            and not (alert["dismissible"] and alert["pk"] in hidden)
            # A targeted alert makes the page depend on the visitor's segments
            # (it is then cached per segment, see home.platform.cache).
            and (
                not alert.get("segment_id") or in_segment(request, alert["segment_id"])
            )
        ]
    return {"alerts": alerts, "request": request}


def site_alerts(site) -> list[dict]:
    """Every live alert of ``site`` that has not ended, as plain data, cached until
    the next publish (alert changes purge); start and end are checked per request,
    so scheduled alerts appear and go on time."""

    def build():
        now = timezone.now()
        alerts = AlertBanner.objects.filter(live=True).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )
        alerts = alerts.filter(Q(site__isnull=True) | Q(site=site))
        return [
            alert.as_banner()
            for alert in alerts.order_by("severity_rank", "-starts_at")
        ]

    return generation_cached(f"alerts:{site.pk if site else 0}", build)


register.filter("link_href", link_href)


@register.filter
def sanitised(value) -> str:
    """Rich text (a ``RichText`` value or stored HTML) expanded and sanitised."""
    return sanitise_rich_text(getattr(value, "source", value) or "")


@register.simple_tag(takes_context=True)
def story(context, value, name="body"):
    """A page's StreamField rendered, cached until the next publish.

    The body is the costliest part of a page to render (chooser blocks load their
    snippets and pages, rich text expands its links) and is the same for every
    visitor of a site, so it is kept per page, field and site for the generation.
    Previews, and streams holding a block whose ``Meta.cacheable`` is false (blocks
    that depend on who is looking), always render afresh.
    """
    request = context.get("request")
    page = context.get("page")
    template = get_template("home/blocks/story.html").template

    def render() -> str:
        with context.push(value=value):
            return template.render(context)

    caching = stream_caching(value)
    if (
        request is None
        or page is None
        or not getattr(page, "pk", None)
        or getattr(request, "is_preview", False)
        or forced_segment(request) is not None
        or caching is False
    ):
        return mark_safe(render())  # noqa: S308 - rendered by our templates
    site = Site.find_for_request(request)
    key = f"story:{page.pk}:{name}:{site.pk if site else 0}"
    if caching == PER_SEGMENT:
        # Personalised blocks depend only on the visitor's segments: one copy per
        # set of segments.
        key += ":segments:" + ".".join(str(i) for i in sorted(evaluate(request)))
    return mark_safe(generation_cached(key, render))  # noqa: S308


PER_SEGMENT = "per-segment"


def stream_caching(value):
    """How a stream may be cached: ``True`` (for everyone), ``PER_SEGMENT`` (it holds
    personalised blocks) or ``False`` (a block depends on who is looking, e.g. a
    transaction form), from the top-level blocks' ``Meta.cacheable``."""
    stream_block = getattr(value, "stream_block", None)
    if stream_block is None:
        return True
    child_blocks = stream_block.child_blocks
    caching = True
    for item in getattr(value, "raw_data", []):
        block = child_blocks.get(item.get("type") if isinstance(item, dict) else None)
        flag = getattr(block.meta, "cacheable", True) if block is not None else True
        if flag is False:
            return False
        if flag == PER_SEGMENT:
            caching = PER_SEGMENT
    return caching
