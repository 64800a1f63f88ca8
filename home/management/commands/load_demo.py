"""Load the Guildhall Borough Council demo content (safe to run again)."""

import io
import logging
import time
from contextlib import contextmanager

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from home.demo.builders import DemoBuilder, DemoConfig, DemoPageMissing
from home.demo.loader import DemoDataError
from personalisation.wards import DEMO_FILE as WARDS_FILE
from personalisation.wards import load_wards, read_csv

# Every publish logs itself and runs a few background tasks inline; those lines would bury
# the summary, so they are only shown with --verbosity 2 or more.
CHATTY_LOGGERS = ("django_tasks", "wagtail")


@contextmanager
def quiet_loggers(names, enabled=True):
    loggers = [logging.getLogger(name) for name in names] if enabled else []
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class Command(BaseCommand):
    help = (
        "Build the Guildhall Borough Council demo site and the Guildhall Country Parks "
        "microsite: pages, snippets, settings, users and the moderation workflow. "
        "Running it again updates the content and creates nothing twice. "
        "Host names come from DEMO_HOSTNAME, DEMO_PORT and DEMO_MICROSITE_HOSTNAME."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-index",
            action="store_true",
            help="Skip rebuilding the reference index and the search index afterwards.",
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        with quiet_loggers(CHATTY_LOGGERS, enabled=options["verbosity"] < 2):
            # The demo council's wards, for personalisation by ward, and its street
            # gazetteer (nearest streets, case wards): before the content, so the
            # demo cases get their wards.
            load_wards(read_csv(WARDS_FILE))
            call_command("load_streets", stdout=io.StringIO())
            try:
                builder = DemoBuilder(
                    DemoConfig.from_env(), log=self.stdout.write
                ).build()
            except (DemoPageMissing, DemoDataError) as error:
                raise CommandError(f"The demo was not loaded: {error}") from error
            built = time.monotonic()
            if not options["no_index"]:
                quiet = io.StringIO()
                # The step-by-step sidebar finds journeys through the reference index.
                call_command("rebuild_references_index", stdout=quiet)
                call_command("update_index", stdout=quiet)
        finished = time.monotonic()
        if options["verbosity"] == 0:
            return
        for line in builder.summary_lines():
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded in {finished - started:.1f}s "
                f"(content {built - started:.1f}s, indexes {finished - built:.1f}s)."
            )
        )
