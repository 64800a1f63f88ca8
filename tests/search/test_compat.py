"""modelsearch's PostgreSQL compiler as the ranked database search uses it
(``search.compat``): if an upgrade changes it, this fails, not every search."""

from django.db.models import F, IntegerField
from django.db.models.functions import Cast

from wagtail.models import Page
from wagtail.search.models import IndexEntry
from wagtail.search.query import PlainText

import pytest

from search import compat
from tests.needs import needs_postgres


@pytest.mark.django_db
def test_the_compiled_query_matches_titles_and_ranks_them(council):
    needs_postgres("the database search ranks with PostgreSQL's ts_rank")
    compiled = compat.ranking(Page.objects.live(), PlainText("missed bin"))
    matches = (
        IndexEntry.objects.annotate(page_id=Cast("object_id", IntegerField()))
        .filter(title=compiled.tsquery)
        .annotate(score=compiled.rank(F("title")))
        .values_list("page_id", "score")
    )
    scores = dict(matches)
    assert council["service"].pk in scores  # "Report a missed bin"
    assert scores[council["service"].pk] > 0
    assert council["step_by_step"].pk not in scores  # "Moving home"
    unmatched = (
        IndexEntry.objects.annotate(page_id=Cast("object_id", IntegerField()))
        .filter(page_id=council["step_by_step"].pk)
        .annotate(score=compiled.rank(F("title")))
        .values_list("score", flat=True)
    )
    # PostgreSQL gives a non-match a rank of about 1e-20, not 0.
    assert unmatched and max(unmatched) < scores[council["service"].pk] / 1000
