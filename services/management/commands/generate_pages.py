"""Add generated service pages to the council site, for load and performance tests."""

import time

from django.core.management.base import BaseCommand, CommandError

from services.generated_pages import SLUG_PREFIX, generate


class Command(BaseCommand):
    help = (
        "Add live service pages with generated titles and bodies, spread across the "
        "council site's service areas, until there are COUNT generated pages in total "
        f"(they are marked by the slug prefix '{SLUG_PREFIX}'). Run load_demo first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--count",
            type=int,
            default=1000,
            help="How many generated pages there should be in total (default 1000).",
        )
        parser.add_argument(
            "--no-index",
            action="store_true",
            help="Do not add the new pages to the search index (run update_index later).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help="Pages written per batch (default 500).",
        )

    def handle(self, *args, count, no_index, batch_size, verbosity, **options):
        if count < 0 or batch_size < 1:
            raise CommandError("--count must be 0 or more and --batch-size at least 1.")
        started = time.monotonic()
        log = self.stdout.write if verbosity >= 2 else (lambda message: None)
        try:
            result = generate(count, index=not no_index, batch_size=batch_size, log=log)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        total = time.monotonic() - started
        if not result["created"]:
            self.stdout.write(
                f"{result['existing']} generated pages already exist; nothing to do "
                f"({total:.1f}s)."
            )
            return
        rate = (
            result["created"] / result["create_seconds"]
            if result["create_seconds"]
            else 0
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {result['created']} pages ({result['existing']} already existed) in "
                f"{total:.1f}s: pages {result['create_seconds']:.1f}s ({rate:.0f} a second), "
                + (
                    "search index skipped (--no-index)."
                    if no_index
                    else f"search index {result['index_seconds']:.1f}s."
                )
            )
        )
