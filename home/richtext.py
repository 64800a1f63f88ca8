"""Page links in rich text, expanded without a query per page and relative when
they stay on the current site.

Wagtail's own handler loads every linked page (two queries for each block of rich
text) and renders ``page.url``, which is absolute as soon as there are two sites.
This one keeps each page's URL parts per generation (publishing, moving or
deleting a page starts a new one) and writes a relative URL when the page belongs
to the site being served (``home.platform.cache.remember_site`` records it).
"""

from django.utils.html import escape

from wagtail.models import Page, Site
from wagtail.rich_text.pages import PageLinkHandler

from home.platform.cache import current_site_id, generation_cached_many


def page_url_parts(page_ids: list[int]) -> dict[int, tuple | None]:
    """``(site_id, root_url, path)`` for each live page id (``None`` if not live)."""

    def build(keys):
        ids = [int(key.rsplit(":", 1)[1]) for key in keys]
        pages = (
            Page.objects.live()
            .filter(pk__in=ids)
            .only("id", "url_path", "path", "depth")
        )
        return {f"pagelink:{p.pk}": p.get_url_parts() for p in pages}

    keys = {pid: f"pagelink:{pid}" for pid in page_ids}
    found = generation_cached_many(list(keys.values()), build)
    return {pid: found.get(key) for pid, key in keys.items()}


class CouncilPageLinkHandler(PageLinkHandler):
    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        ids = []
        for attrs in attrs_list:
            try:
                ids.append(int(attrs.get("id")))
            except (TypeError, ValueError):
                ids.append(None)
        parts = page_url_parts([pid for pid in ids if pid is not None])
        current = current_site_id()
        if current is None and len(Site.get_site_root_paths()) == 1:
            current = Site.get_site_root_paths()[0].site_id
        links = []
        for pid in ids:
            found = parts.get(pid) if pid is not None else None
            if not found or found[2] is None:
                links.append("<a>")
                continue
            site_id, root_url, path = found
            href = (
                path if current is not None and site_id == current else root_url + path
            )
            links.append(f'<a href="{escape(href)}">')
        return links
