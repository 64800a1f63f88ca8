"""Relevance on the demo content with the default backend, measured."""

from pathlib import Path

from django.core.management import call_command

import pytest

from home.demo.builders import DemoBuilder, DemoConfig
from search.analysis import prepare
from search.relevance import evaluate, read_queries

QUERIES = Path(__file__).with_name("relevance_queries.csv")
MIN_PRECISION_AT_3 = 0.8


def test_there_are_at_least_sixty_realistic_queries():
    rows = read_queries(QUERIES)
    assert len(rows) >= 60
    assert {row["within"] for row in rows} <= {"1", "3"}


@pytest.mark.django_db
def test_precision_at_3_on_the_demo_content_is_at_least_point_8(capsys):
    builder = DemoBuilder(DemoConfig.from_env(), log=lambda *a: None).build()
    report = evaluate(read_queries(QUERIES), builder.council_site)
    with capsys.disabled():
        print(
            f"\nrelevance: precision@1 {report.precision_at_1:.3f}, "
            f"precision@3 {report.precision_at_3:.3f} "
            f"over {len(report.judgements)} queries"
        )
        for miss in report.failures:
            print(f"  miss: {miss.query!r} -> {miss.titles}")
    assert report.precision_at_3 >= MIN_PRECISION_AT_3
    assert report.precision_at_1 >= 0.7


@pytest.mark.django_db
def test_the_relevance_command_prints_the_figures(capsys):
    DemoBuilder(DemoConfig.from_env(), log=lambda *a: None).build()
    call_command("search_relevance")
    out = capsys.readouterr().out
    assert "precision@1:" in out and "precision@3:" in out


@pytest.mark.django_db
def test_scoring_only_the_best_title_matches_orders_results_as_full_ranking():
    """The database engine fully scores only the best title matches (plus a
    margin); on the demo content every page of results must be what Wagtail's
    backend gives by scoring every match."""
    from django.db import connection

    from search.queries import DatabaseEngine, SiteContext

    if connection.vendor != "postgresql":
        pytest.skip("the candidate ranking runs on PostgreSQL only")
    builder = DemoBuilder(DemoConfig.from_env(), log=lambda *a: None).build()
    engine = DatabaseEngine()
    site = SiteContext.for_site(builder.council_site)
    base = engine.base_queryset(site)
    for text in ["bin", "council tax", "apply", "report", "parking permit", "library"]:
        query = engine.search_query(prepare(text))
        full = [page.pk for page in base.search(query)]
        assert full, f"{text!r} matches nothing in the demo"
        ours = []
        for offset in range(0, len(full), 4):
            ours += [page.pk for page in engine.ranked_pages(base, query, offset, 4)]
        assert ours == full, text


@pytest.mark.django_db
def test_candidates_are_whole_title_matches_then_body_matches_then_the_rest(council):
    """Which matches get the full score: titles holding every word first (best
    title score, then newest), then bodies holding every word, then pages with the
    words split between title and body; a later tier only when an earlier one
    falls short, and every match reachable."""
    from django.db import connection

    from wagtail.models import Site
    from wagtail.search.models import IndexEntry

    from search.queries import DatabaseEngine, SiteContext
    from tests.factories.services import ServicePageFactory

    if connection.vendor != "postgresql":
        pytest.skip("the candidate tiers run on PostgreSQL only")
    landing = council["landing"]

    def pages(title, summary, count, slug):
        return [
            ServicePageFactory(
                parent=landing,
                title=f"{title} {n}",
                slug=f"{slug}-{n}",
                summary=summary,
                body=[("paragraph", "<p>Opening hours and prices.</p>")],
            ).pk
            for n in range(count)
        ]

    titled = pages("Apply for a parking permit", "Zones and prices.", 4, "titled")
    bodied = pages("Resident permit", "You can apply for parking here.", 3, "bodied")
    across = pages("Parking zones", "How to apply.", 2, "across")
    pages("Bulky waste", "Book a collection.", 2, "other")

    engine = DatabaseEngine()
    base = engine.base_queryset(SiteContext.for_site(Site.objects.get()))
    query = engine.search_query(prepare("apply parking"))

    def candidate_pages(needed):
        entries = engine._run(engine.candidates(base, query, needed))
        by_entry = dict(
            IndexEntry.objects.filter(pk__in=entries).values_list("pk", "object_id")
        )
        return [int(by_entry[pk]) for pk in entries]

    assert candidate_pages(2) == [titled[3], titled[2]]  # same score: newest first
    assert sorted(candidate_pages(4)) == sorted(titled)
    assert sorted(candidate_pages(7)) == sorted(titled + bodied)
    assert candidate_pages(7)[4:] == bodied[::-1]
    everything = candidate_pages(50)
    assert sorted(everything) == sorted(titled + bodied + across)
    assert sorted(everything) == sorted(page.pk for page in base.search(query))
