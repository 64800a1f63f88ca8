"""Print the current two-factor code of a demo member of staff (development only).

The demo's staff are enrolled in two-factor authentication like real staff
(``myaccount.demo.secure_demo_staff``); this stands in for the authenticator app on
a developer's machine. It refuses outside ``DEBUG`` and for any account the demo
did not make.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.mfa.utils import decrypt

from myaccount.demo import demo_staff_usernames


class Command(BaseCommand):
    help = "Print the current authenticator code of a demo staff user (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("demo_totp runs with development settings only.")
        if username not in demo_staff_usernames():
            raise CommandError(f"{username} is not one of the demo's staff users.")
        user = get_user_model().objects.filter(username=username).first()
        totp = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).first()
        if user is None or totp is None:
            raise CommandError(f"{username} has no authenticator: run load_demo.")
        counters = list(yield_hotp_counters_from_time())
        now = counters[len(counters) // 2]
        secret = decrypt(totp.data["secret"])
        self.stdout.write(format_hotp_value(hotp_value(secret, now)))
