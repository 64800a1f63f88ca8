"""Factories for My Account records (used by tests/myaccount and the browser suite)."""

from django.contrib.auth import get_user_model
from django.utils import timezone

import factory
import wagtail_factories
from allauth.account.models import EmailAddress

from myaccount.demo import PAGE_BODY
from myaccount.models import (
    CouncilTaxLink,
    DemoCouncilTaxAccount,
    MyAccountPage,
    Profile,
    ResidentMessage,
)

PASSWORD = "a-Long-resident-pw-2026"


class ResidentFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"resident{n}")
    email = factory.Sequence(lambda n: f"resident{n}@example.com")
    first_name = "Rita"
    last_name = factory.Sequence(lambda n: f"Resident{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(
                user=self,
                email=self.email,
                verified=extracted is not False,
                primary=True,
            )


class ProfileFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(ResidentFactory)
    phone = "07700900982"
    address_line_1 = "3 High Street"
    town = "Guildhall"
    postcode = "GH1 1AA"
    uprn = "100090000003"

    class Meta:
        model = Profile


class ResidentMessageFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(ResidentFactory)
    reference = factory.Sequence(lambda n: f"MSG-{n:06d}")
    subject = factory.Sequence(lambda n: f"Message number {n}")
    body = "Your request has been received."
    sent_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = ResidentMessage


class DemoCouncilTaxAccountFactory(factory.django.DjangoModelFactory):
    account_number = factory.Sequence(lambda n: f"{20000000 + n}")
    postcode = "GH1 1AA"
    property_address = "3 High Street, Guildhall"
    band = "C"
    balance = "1246.50"
    next_instalment_date = factory.LazyFunction(lambda: timezone.localdate())
    next_instalment_amount = "138.50"

    class Meta:
        model = DemoCouncilTaxAccount


class CouncilTaxLinkFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(ResidentFactory)
    account_number = factory.Sequence(lambda n: f"{20000000 + n}")

    class Meta:
        model = CouncilTaxLink


# The demo's dashboard, with a short notice the tests look for.
ALL_BLOCKS = [
    {
        "type": "notice",
        "value": {
            "title": "Add your address",
            "text": "<p>Add it.</p>",
            "audience": "no_address",
        },
    },
    *(block for block in PAGE_BODY if block["type"] != "notice"),
]


class MyAccountPageFactory(wagtail_factories.PageFactory):
    title = "Your account"
    slug = "your-account"
    body = factory.LazyFunction(lambda: ALL_BLOCKS)

    class Meta:
        model = MyAccountPage


def with_two_factor(user) -> str:
    """Turn on an authenticator app for ``user`` (as staff must before using the
    admin); returns its secret, for tests that sign in with a code."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    """The code an authenticator app with ``secret`` shows now."""
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))
