"""Run the demo waste crew system (``services.crew_receiver``) and subscribe it
to the missed-bin service's case events.

    manage.py crew_receiver [--port 8765]   (--port 0: any free port)

It creates (or switches back on) the webhook subscription "Waste crew system
(demo)" pointing at itself, reads that subscription's signing secret, and prints
each crew job as missed-bin reports arrive. Stopping it (Ctrl-C) switches the
subscription off again, so nothing queues for a receiver that is not there.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from services.crew_receiver import CrewSystem, make_server
from services.models import ServiceDefinition, WebhookSubscription

NAME = "Waste crew system (demo)"
EVENTS = ["case.created", "case.status_changed", "case.closed"]


class Command(BaseCommand):
    help = "Receive missed-bin webhooks as crew jobs (the demo's waste crew system)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument(
            "--service",
            default="BIN",
            help="Reference prefix of the service to subscribe to (BIN).",
        )

    def handle(self, *args, host, port, service, **options):
        definition = ServiceDefinition.objects.filter(reference_prefix=service).first()
        if definition is None:
            raise CommandError(
                f"No service with reference prefix {service}: run make demo first."
            )
        crew = CrewSystem(secret="")
        # Listening before subscribing: the address is known (a free port when
        # --port is 0) and nothing is sent to a port nobody holds.
        self.server = server = make_server(crew, host, port, log=self.stdout.write)
        url = f"http://{host}:{server.server_address[1]}/"
        subscription, _ = WebhookSubscription.objects.update_or_create(
            name=NAME, defaults={"url": url, "events": EVENTS, "active": True}
        )
        subscription.services.add(definition)
        crew.secret = subscription.secret
        self.stdout.write(
            f"Waste crew system listening on {url} for {definition.name} "
            "(Ctrl-C to stop)."
        )
        try:
            # Until Ctrl-C, or until another thread calls self.server.shutdown().
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
            WebhookSubscription.objects.filter(pk=subscription.pk).update(active=False)
            self.stdout.write(
                f"Stopped: {len(crew.jobs)} jobs, {crew.duplicates} repeats "
                f"dropped, {crew.refused} forged messages refused. Subscription "
                "switched off."
            )
