"""Rebuild the site search index with no downtime."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "With ELASTICSEARCH_URL: build a new Elasticsearch index with the current "
        "synonyms, fill it with every live page and document, move the alias to it "
        "in one step and delete the old index (searches keep working throughout). "
        "Without: rebuild Wagtail's database search index (update_index)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--replicas",
            type=int,
            default=None,
            help="Replicas for the new Elasticsearch index (default 1).",
        )

    def handle(self, *args, replicas=None, **options):
        if not settings.ELASTICSEARCH_URL:
            call_command("update_index", stdout=self.stdout)
            return
        from search import indexing

        try:
            name = indexing.rebuild(replicas=replicas)
        except Exception as error:  # connection or cluster errors, reported plainly
            raise CommandError(
                f"Rebuild failed, the old index is untouched: {error}"
            ) from error
        self.stdout.write(f"{indexing.alias_name()} now points at {name}.")
