"""Demo personalisation, part of ``load_demo``: a Northfield residents segment, the
Northfield bin-day change on the bins service area (a personalised block) and on My
Account (a notice). Safe to run again.

``HomeConfig`` connects ``add_to_demo`` to the demo builder's ``demo_pages_ready``
signal (this app sits below ``home`` and does not import it); ``load_demo`` loads
the wards first. Grace Obi, a demo resident, lives at GH2 3CC: in Northfield ward.
"""

from __future__ import annotations

NORTHFIELD_SEGMENT = "Northfield residents"
NOTICE_TITLE = "Northfield: your bin collection day is changing"
NOTICE_TEXT = (
    "From Monday 4 January 2027 bins in Northfield ward are collected on Tuesdays "
    "instead of Mondays. Put your bins out by 6:30am on Tuesday."
)
# The demo page the bin-day change goes on: "Bins, recycling and waste".
BINS_KEY = "bins"


def ensure_demo_segment():
    """The Northfield residents segment (ward rule) and its My Account notice;
    ``None`` when the Northfield ward has not been loaded."""
    from wagtail_personalisation.models import Segment

    from personalisation.models import AccountNotice, Ward, WardRule

    ward = Ward.objects.filter(name="Northfield").first()
    if ward is None:
        return None
    segment, _ = Segment.objects.get_or_create(
        name=NORTHFIELD_SEGMENT,
        defaults={"status": Segment.STATUS_ENABLED, "type": Segment.TYPE_DYNAMIC},
    )
    WardRule.objects.get_or_create(segment=segment, ward=ward)
    notice, _ = AccountNotice.objects.update_or_create(
        title=NOTICE_TITLE, defaults={"message": f"<p>{NOTICE_TEXT}</p>", "live": True}
    )
    notice.segments.set([segment])
    return segment


def with_bin_day_change(body: list, segment) -> list:
    """``body`` (raw stream data) with the personalised bin-day change first, once."""
    kept = [
        item
        for item in body or []
        if not (
            item.get("type") == "personalised"
            and str(item.get("value", {}).get("segment")) == str(segment.pk)
        )
    ]
    block = {
        "type": "personalised",
        "value": {
            "segment": str(segment.pk),
            "content": [
                {
                    "type": "inset_text",
                    "value": {"text": f"<p><b>{NOTICE_TITLE}.</b> {NOTICE_TEXT}</p>"},
                }
            ],
            "fallback": [],
        },
    }
    return [block, *kept]


def add_to_demo(sender, builder, **kwargs) -> list[str]:
    """``demo_pages_ready`` receiver: the segment, the notice, and the bins page's
    personalised block (added each build, so the page is published only once)."""
    segment = ensure_demo_segment()
    if segment is None:
        return ["Personalisation: no Northfield ward (load the wards first)"]
    builder.amend(
        BINS_KEY,
        lambda fields: {**fields, "body": with_bin_day_change(fields["body"], segment)},
        wanted_by="personalisation (the Northfield bin-day change)",
    )
    return [
        f"Personalisation: segment '{segment.name}', My Account notice, "
        "Northfield bin-day change on the bins page"
    ]
