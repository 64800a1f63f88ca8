"""Move buffered search counts into the weekly query report now."""

from django.core.management.base import BaseCommand

from search import querylog


class Command(BaseCommand):
    help = (
        "Add the searches and clicks buffered in the cache to the weekly query "
        "report (Celery beat does this every five minutes)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{querylog.flush()} entries moved to the report.")
