"""Replace the postcode → ward lookup table from a CSV file (postcode_prefix,ward)."""

from django.core.management.base import BaseCommand, CommandError

from personalisation.wards import DEMO_FILE, load_wards, read_csv


class Command(BaseCommand):
    help = (
        "Load wards from a CSV of postcode_prefix,ward (default: the demo council's)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEMO_FILE))

    def handle(self, *args, path, **options):
        try:
            rows = read_csv(path)
        except (OSError, KeyError) as error:
            raise CommandError(f"cannot read {path}: {error}") from error
        count = load_wards(rows)
        self.stdout.write(f"{count} postcode prefixes loaded from {path}.")
