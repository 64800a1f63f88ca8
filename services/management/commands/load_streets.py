"""Replace the street gazetteer from a CSV file (name,lat,lon,ward)."""

from decimal import InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from services.streets import DEMO_FILE, load_streets, read_csv


class Command(BaseCommand):
    help = "Load the street gazetteer from a CSV of name,lat,lon,ward (default: the demo council's)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEMO_FILE))

    def handle(self, *args, path, **options):
        try:
            count = load_streets(read_csv(path))
        except (OSError, KeyError, InvalidOperation) as error:
            raise CommandError(f"cannot read {path}: {error}") from error
        self.stdout.write(f"{count} streets loaded from {path}.")
