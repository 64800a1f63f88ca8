"""Demo personalisation (run by ``load_demo`` after the pages and wards exist): a
Northfield residents segment, the Northfield bin-day change on the bins page (a
personalised block) and on My Account (a notice). Safe to run again.

Grace Obi, a demo resident, lives at GH2 3CC: in Northfield ward.
"""

from __future__ import annotations

from django.db import transaction

NORTHFIELD_SEGMENT = "Northfield residents"
NOTICE_TITLE = "Northfield: your bin collection day is changing"
NOTICE_TEXT = (
    "From Monday 4 January 2027 bins in Northfield ward are collected on Tuesdays "
    "instead of Mondays. Put your bins out by 6:30am on Tuesday."
)
BINS_SLUG = "bins"


@transaction.atomic
def add_demo_personalisation() -> list[str]:
    from wagtail.models import Page

    from wagtail_personalisation.models import Segment

    from personalisation.models import AccountNotice, Ward, WardRule

    ward = Ward.objects.filter(name="Northfield").first()
    if ward is None:
        return ["Personalisation: no Northfield ward (load the wards first)"]
    segment, _ = Segment.objects.get_or_create(
        name=NORTHFIELD_SEGMENT,
        defaults={"status": Segment.STATUS_ENABLED, "type": Segment.TYPE_DYNAMIC},
    )
    WardRule.objects.get_or_create(segment=segment, ward=ward)
    notice, _ = AccountNotice.objects.update_or_create(
        title=NOTICE_TITLE, defaults={"message": f"<p>{NOTICE_TEXT}</p>", "live": True}
    )
    notice.segments.set([segment])

    lines = [f"Personalisation: segment '{segment.name}', My Account notice"]
    bins = Page.objects.filter(slug=BINS_SLUG, depth=3).first()
    bins = bins.specific if bins is not None else None
    body = getattr(bins, "body", None)
    if body is not None and "personalised" in body.stream_block.child_blocks:
        raw = [
            item
            for item in body.raw_data
            if not (
                item.get("type") == "personalised"
                and item.get("value", {}).get("segment") == str(segment.pk)
            )
        ]
        raw.insert(
            0,
            {
                "type": "personalised",
                "value": {
                    "segment": str(segment.pk),
                    "content": [
                        {
                            "type": "inset_text",
                            "value": {
                                "text": f"<p><b>{NOTICE_TITLE}.</b> {NOTICE_TEXT}</p>"
                            },
                        }
                    ],
                    "fallback": [],
                },
            },
        )
        bins.body = raw
        bins.save_revision().publish()
        lines.append("Personalisation: Northfield bin-day change on the bins page")
    return lines
