"""Re-run the report roll-up for a past day or a range of days.

    manage.py rollup_reports                       # yesterday and today
    manage.py rollup_reports --day 2026-11-30
    manage.py rollup_reports --from 2026-01-01 --to 2026-11-30

Safe to run at any time, any number of times: each day is recomputed from the
cases as they are now (``services.reports.rollup``).
"""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from services.reports.rollup import rollup_day


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Give dates as YYYY-MM-DD, not {value!r}") from error


class Command(BaseCommand):
    help = "Recompute the daily report figures for a day or a range of days."

    def add_arguments(self, parser):
        parser.add_argument("--day", help="One day, YYYY-MM-DD.")
        parser.add_argument("--from", dest="first", help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="last", help="Last day, YYYY-MM-DD.")

    def handle(self, *args, day=None, first=None, last=None, **options):
        if day and (first or last):
            raise CommandError("Give --day, or --from and --to, not both.")
        if day:
            first = last = _date(day)
        elif first or last:
            if not (first and last):
                raise CommandError("Give both --from and --to.")
            first, last = _date(first), _date(last)
        else:
            last = timezone.localdate()
            first = last - datetime.timedelta(days=1)
        if first > last:
            raise CommandError("--from must not be after --to.")
        if last > timezone.localdate():
            raise CommandError("A day in the future has nothing to count yet.")
        current, started = first, time.monotonic()
        while current <= last:
            result = rollup_day(current)
            if options["verbosity"] > 1:
                self.stdout.write(f"{current}: {result['rows']} rows")
            current += datetime.timedelta(days=1)
        days = (last - first).days + 1
        self.stdout.write(
            self.style.SUCCESS(
                f"Rolled up {days} day{'s' if days != 1 else ''} "
                f"({first} to {last}) in {time.monotonic() - started:.1f}s."
            )
        )
