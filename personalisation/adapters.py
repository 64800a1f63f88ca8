"""A segments adapter for wagtail-personalisation that writes nothing.

Set as ``PERSONALISATION_SEGMENTS_ADAPTER``. The library calls the adapter from
its page hooks and blocks; this one evaluates segments lazily from cached rule
definitions (``personalisation.segments``), keeps nothing in the session and counts
no visits (a write per page view is what made the library's pages uncacheable).
"""

from wagtail_personalisation.adapters import BaseSegmentsAdapter

from personalisation import segments


class CachedSegmentsAdapter(BaseSegmentsAdapter):
    def setup(self):
        pass

    def get_segments(self, key="segments"):
        if key != "segments":
            return []
        ids = segments.evaluate(self.request)
        return [s for s in segments.segment_definitions() if s.id in ids]

    def get_segment_by_id(self, segment_id):
        for segment in segments.segment_definitions():
            if segment.id == segment_id:
                return segment
        return None

    def set_segments(self, segments_, key="segments"):
        if key == "segments":
            self.request._segment_ids = frozenset(s.pk for s in segments_)

    def add(self, segment):
        ids = segments.evaluate(self.request)
        self.request._segment_ids = ids | {segment.pk}

    def refresh(self):
        """Nothing to refresh: segments are worked out when first needed."""

    def add_page_visit(self, page):
        """Visits are not recorded per visitor (that was a write on every view)."""

    def get_visit_count(self, page=None):
        return 0

    def update_visit_count(self):
        pass
