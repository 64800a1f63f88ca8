"""Print precision@1 and @3 of site search over the relevance queries."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wagtail.models import Site

from search.relevance import evaluate, read_queries

DEFAULT_QUERIES = Path(settings.BASE_DIR) / "tests" / "search" / "relevance_queries.csv"


class Command(BaseCommand):
    help = (
        "Run the relevance queries (query, expected page title, within 1 or 3) "
        "against the default site with the configured backend and print precision "
        "at 1 and at 3, and every query whose page was not where it should be."
    )

    def add_arguments(self, parser):
        parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
        parser.add_argument("--hostname", help="the site to search (default site)")

    def handle(self, *args, **options):
        path = options["queries"]
        if not path.exists():
            raise CommandError(f"No relevance queries at {path}")
        sites = Site.objects.select_related("root_page")
        site = (
            sites.filter(hostname=options["hostname"]).first()
            if options["hostname"]
            else sites.filter(is_default_site=True).first()
        )
        if site is None:
            raise CommandError("No such site: load the demo content first.")
        report = evaluate(read_queries(path), site)
        backend = "elasticsearch" if settings.ELASTICSEARCH_URL else "database"
        self.stdout.write(
            f"{len(report.judgements)} queries on {site.hostname} ({backend} backend)"
        )
        self.stdout.write(f"precision@1: {report.precision_at_1:.3f}")
        self.stdout.write(f"precision@3: {report.precision_at_3:.3f}")
        for judgement in report.failures:
            self.stdout.write(
                f"  MISS {judgement.query!r}: wanted {judgement.expected!r} "
                f"within {judgement.within}, got {judgement.titles}"
            )
