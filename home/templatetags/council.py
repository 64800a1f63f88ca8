"""Page chrome shared by every site: alert banners and the site's own settings."""

from django import template
from django.db.models import Q
from django.template.loader import get_template
from django.utils import timezone
from django.utils.html import conditional_escape
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


def page_fragment_key(context, name: str) -> str | None:
    """The generation-cache key of part of the page being rendered, the same for
    every visitor of its site; ``None`` when it must render afresh (no page, a
    preview, a segment forced for preview)."""
    request = context.get("request")
    page = context.get("page")
    if (
        request is None
        or page is None
        or not getattr(page, "pk", None)
        or getattr(request, "is_preview", False)
        or forced_segment(request) is not None
    ):
        return None
    site = Site.find_for_request(request)
    return f"{name}:{page.pk}:{site.pk if site else 0}"


class PageFragmentNode(template.Node):
    def __init__(self, name: str, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        key = page_fragment_key(context, f"fragment:{self.name}")
        if key is None:
            return self.nodelist.render(context)
        return generation_cached(key, lambda: str(self.nodelist.render(context)))


@register.tag
def page_fragment(parser, token):
    """``{% page_fragment "name" %}…{% endpage_fragment %}``: part of a page that is
    the same for every visitor of its site (links, contact details chosen on the
    page), rendered once per page, site and generation (until the next publish).
    Never for anything that depends on who is looking."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][:1] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(
            'page_fragment takes one quoted name: {% page_fragment "name" %}'
        )
    nodelist = parser.parse(("endpage_fragment",))
    parser.delete_first_token()
    return PageFragmentNode(bits[1][1:-1], nodelist)


@register.simple_tag(takes_context=True)
def story(context, value, name="body"):
    """A page's StreamField rendered, cached until the next publish.

    The body is the costliest part of a page to render (chooser blocks load their
    snippets and pages, rich text expands its links) and is the same for every
    visitor of a site, so it is kept per page, field and site for the generation.
    A stream holding blocks whose ``Meta.cacheable`` is false (blocks that depend on
    who is looking, e.g. a transaction form) keeps the rest of its blocks cached and
    renders only those afresh. Previews always render afresh.
    """
    template = get_template("home/blocks/story.html").template

    def render(blocks) -> str:
        with context.push(value=blocks):
            return template.render(context)

    flags = block_caching(value)
    key = page_fragment_key(context, f"story:{name}")
    if key is None:
        return mark_safe(render(value))  # noqa: S308 - rendered by our templates
    if PER_SEGMENT in flags:
        # Personalised blocks depend only on the visitor's segments: one copy per
        # set of segments.
        key += ":segments:" + ".".join(
            str(i) for i in sorted(evaluate(context["request"]))
        )
    if False not in flags:
        return mark_safe(generation_cached(key, lambda: render(value)))  # noqa: S308
    return mark_safe(_render_around_fresh_blocks(value, flags, key, render))  # noqa: S308


# Ends each block's output when a stream is rendered a block at a time; rendered
# HTML never holds a NUL character.
_BLOCK_END = "\x00story-block-end\x00"


class _OneOf:
    """A stream child as the story template sees it when only some children are
    wanted: a wanted child renders as usual, any other renders nothing (and is not
    even loaded: its snippets and pages are not fetched), and each output ends with
    ``_BLOCK_END`` so the whole splits into one piece per child, in the template's
    own loop."""

    def __init__(self, value, index: int, wanted: bool):
        raw = value.raw_data[index]
        self.value = value
        self.index = index
        self.wanted = wanted
        self.id = raw.get("id")
        self.block_type = raw.get("type")

    def render_as_block(self, context=None):
        html = ""
        if self.wanted:
            html = self.value[self.index].render_as_block(context=context)
        return mark_safe(conditional_escape(html) + _BLOCK_END)  # noqa: S308


def _render_around_fresh_blocks(value, flags, key, render) -> str:
    """A stream with blocks that depend on who is looking: the other blocks come
    from the generation cache (rendered once per publish), only those render per
    request. The cached pieces carry the blocks they were rendered from and are
    used only for a stream with the same blocks."""
    raw = value.raw_data
    shape = tuple((item.get("type"), item.get("id")) for item in raw)
    if len(shape) != len(flags):
        return render(value)

    def pieces(fresh: bool) -> list[str]:
        blocks = [
            _OneOf(value, index, (flag is False) == fresh)
            for index, flag in enumerate(flags)
        ]
        return render(blocks).split(_BLOCK_END)

    cached_shape, cached = generation_cached(
        key + ":around", lambda: (shape, pieces(False))
    )
    if tuple(tuple(item) for item in cached_shape) != shape:
        return render(value)
    fresh = pieces(True)
    if len(cached) != len(flags) + 1 or len(fresh) != len(cached):
        return render(value)
    return "".join(
        fresh[index] if index < len(flags) and flags[index] is False else piece
        for index, piece in enumerate(cached)
    )


PER_SEGMENT = "per-segment"


def block_caching(value) -> list:
    """How each top-level block of a stream may be cached, from its
    ``Meta.cacheable``: ``True`` (for everyone), ``PER_SEGMENT`` (a personalised
    block: per set of segments) or ``False`` (it depends on who is looking)."""
    stream_block = getattr(value, "stream_block", None)
    if stream_block is None:
        return []
    child_blocks = stream_block.child_blocks
    flags = []
    for item in getattr(value, "raw_data", []):
        block = child_blocks.get(item.get("type") if isinstance(item, dict) else None)
        flags.append(
            getattr(block.meta, "cacheable", True) if block is not None else True
        )
    return flags
