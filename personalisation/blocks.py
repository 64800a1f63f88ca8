"""Personalised content: a block shown only to chosen segments, with a fallback.

``PersonalisedBlock`` is subclassed by the content app with its own ``content`` and
``fallback`` streams (so this app does not depend on it). A page whose body holds one
keeps one rendered body per set of segments (``Meta.cacheable = "per-segment"``) and
is stored in the page cache per segment, never per visitor (``home.platform.cache``).
"""

from wagtail import blocks

from personalisation.segments import in_segment


def segment_choices():
    from wagtail_personalisation.models import Segment

    return [(str(pk), name) for pk, name in Segment.objects.values_list("pk", "name")]


class PersonalisedBlock(blocks.StructBlock):
    segment = blocks.ChoiceBlock(
        choices=segment_choices,
        help_text="Show the content to people in this segment.",
    )

    class Meta:
        icon = "group"
        template = "personalisation/blocks/personalised.html"
        description = (
            "Content shown only to a segment, with other content for everyone else."
        )
        cacheable = "per-segment"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        try:
            segment_id = int(value.get("segment"))
        except (TypeError, ValueError):
            segment_id = None
        context["matched"] = bool(
            request is not None
            and segment_id is not None
            and in_segment(request, segment_id)
        )
        return context
