"""State changes for the website (content caches, renditions, feedback)."""

from django.db import transaction

from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
from wagtail.images import get_image_model
from wagtail.models import Site

from home.images import RENDITION_SPECS
from home.models import PageFeedback


def generate_image_renditions(*, image_id: int) -> int:
    """Create the standard renditions of one image; returns how many exist."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return 0
    return len(image.get_renditions(*RENDITION_SPECS))


def purge_site_chrome() -> None:
    """Purge cached pages after a change that shows on every page (alerts,
    contact details, site settings). The page cache drops everything; CDN backends
    purge each site's home page and the rest expire within ``PAGE_CACHE_SECONDS``."""
    urls = [site.root_url + "/" for site in Site.objects.all()]
    transaction.on_commit(lambda: purge_urls_from_cache(urls))


@transaction.atomic
def record_feedback(*, page, useful: bool, comment: str) -> PageFeedback:
    return PageFeedback.objects.create(
        page=page, useful=useful, comment=comment.strip()
    )
