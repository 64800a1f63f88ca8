"""State changes for the website (content caches, renditions, feedback)."""

from django.db import transaction

from wagtail.images import get_image_model

from home.images import RENDITION_SPECS
from home.models import PageFeedback
from home.platform.frontcache import purge_every_page


def generate_image_renditions(*, image_id: int) -> int:
    """Create the standard renditions of one image; returns how many exist."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return 0
    return len(image.get_renditions(*RENDITION_SPECS))


def purge_site_chrome() -> None:
    """Purge cached pages after a change that shows on every page (alerts,
    contact details, site settings): see ``home.platform.frontcache``."""
    purge_every_page()


@transaction.atomic
def record_feedback(*, page, useful: bool, comment: str) -> PageFeedback:
    return PageFeedback.objects.create(
        page=page, useful=useful, comment=comment.strip()
    )
