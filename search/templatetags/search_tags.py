from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def click_url(hit, query: str) -> str:
    """The result's link through the click counter, or its own URL when it has no id
    to look up (then the click is not counted, and nothing is redirected)."""
    if hit.kind == "best-bet" and hit.promotion_id:
        target = {"b": hit.promotion_id}
    elif hit.page_id:
        target = {"p": hit.page_id}
    elif hit.document_id:
        target = {"d": hit.document_id}
    else:
        return hit.url
    return f"{reverse('search_click')}?{urlencode({'q': query} | target)}"
