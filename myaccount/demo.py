"""Demo residents, an organisation and the My Account page (run by ``load_demo``).

Connected to ``home.demo.builders.demo_content_loaded``; safe to run again: existing
residents keep their passwords and nothing is created twice.
"""

from __future__ import annotations

import os
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from allauth.account.models import EmailAddress

from myaccount.enums import ContactTopic, Language, MembershipRole
from myaccount.models import (
    CouncilTaxLink,
    DemoCouncilTaxAccount,
    MyAccountPage,
    Organisation,
    OrganisationInvitation,
    OrganisationMembership,
    Profile,
    ResidentMessage,
)

PASSWORD_ENV = "DEMO_RESIDENT_PASSWORD"  # noqa: S105 - a variable name
PASSWORD_DEFAULT = "guildhall-resident-2026"  # noqa: S105 - demo only
ADVISOR_PASSWORD_ENV = "DEMO_ADVISOR_PASSWORD"  # noqa: S105 - a variable name
ADVISOR_PASSWORD_DEFAULT = "guildhall-advisor-2026"  # noqa: S105 - demo only
CONTACT_CENTRE_GROUP = "Contact centre"

COUNCIL_TAX_ACCOUNTS = [
    ("10000001", "GH1 1AA", "3 High Street, Guildhall", "C", "1246.50", 30, "138.50"),
    ("10000002", "GH1 2BB", "12 Market Place, Guildhall", "B", "0.00", None, None),
    ("10000003", "GH2 3CC", "4 Orchard Close, Guildhall", "D", "1602.00", 12, "178.00"),
    ("10000004", "GH3 4DD", "21 Mill Lane, Guildhall", "A", "84.10", 5, "84.10"),
]

RESIDENTS = [
    {
        "email": "amira.khan@example.com",
        "first_name": "Amira",
        "last_name": "Khan",
        "phone": "07700900123",
        "address": ("3 High Street", "", "Guildhall", "GH1 1AA", "100090000003"),
        "language": Language.ENGLISH,
        "sms": True,
        "topics": [ContactTopic.BINS, ContactTopic.EVENTS],
        "council_tax": ["10000001"],
        "messages": 12,
    },
    {
        "email": "tom.evans@example.com",
        "first_name": "Tom",
        "last_name": "Evans",
        "phone": "",
        "address": None,
        "language": Language.WELSH,
        "sms": False,
        "topics": [],
        "council_tax": [],
        "messages": 2,
    },
    {
        "email": "grace.obi@example.com",
        "first_name": "Grace",
        "last_name": "Obi",
        "phone": "01632960001",
        "address": ("4 Orchard Close", "", "Guildhall", "GH2 3CC", "100090200004"),
        "language": Language.ENGLISH,
        "sms": False,
        "topics": [ContactTopic.COUNCIL_TAX, ContactTopic.CONSULTATIONS],
        "council_tax": ["10000003"],
        "messages": 5,
    },
]

ORGANISATION = {
    "name": "Evans and Obi Plumbing Ltd",
    "registration_number": "01234567",
    "members": [
        ("tom.evans@example.com", MembershipRole.ADMIN),
        ("grace.obi@example.com", MembershipRole.MEMBER),
    ],
    "invite": "sam.jones@example.com",
}

MESSAGE_SUBJECTS = [
    "Your garden waste subscription has been renewed",
    "Your council tax bill for this year",
    "Changes to bin collections over the holidays",
    "Thank you for your feedback",
    "Your parking permit is ready",
]

PAGE_BODY = [
    {
        "type": "notice",
        "value": {
            "title": "Add your address",
            "text": "<p>Add your address to see your bin collection days and services near you.</p>",
            "audience": "no_address",
        },
    },
    {
        "type": "activity",
        "value": {
            "heading": "Recent activity",
            "limit": 5,
            "empty_text": "You have no activity with us yet.",
        },
    },
    {
        "type": "my_requests",
        "value": {
            "heading": "Your requests",
            "limit": 5,
            "empty_text": "You have not made any requests yet.",
        },
    },
    {
        "type": "my_bookings",
        "value": {
            "heading": "Your bookings",
            "limit": 5,
            "empty_text": "You have no bookings.",
        },
    },
    {
        "type": "my_payments",
        "value": {
            "heading": "Your payments",
            "limit": 5,
            "empty_text": "You have not made any payments.",
        },
    },
    {
        "type": "my_messages",
        "value": {
            "heading": "Your messages",
            "limit": 5,
            "empty_text": "You have no messages.",
        },
    },
    {"type": "bin_collection", "value": {"heading": "Your bin collection days"}},
    {"type": "council_tax", "value": {"heading": "Your council tax"}},
]


def add_demo_residents(sender, builder, **kwargs) -> list[str]:
    now = timezone.now()
    for number, postcode, address, band, balance, days, amount in COUNCIL_TAX_ACCOUNTS:
        DemoCouncilTaxAccount.objects.update_or_create(
            account_number=number,
            defaults={
                "postcode": postcode,
                "property_address": address,
                "band": band,
                "balance": Decimal(balance),
                "next_instalment_date": (now + timedelta(days=days)).date()
                if days
                else None,
                "next_instalment_amount": Decimal(amount) if amount else None,
            },
        )
    User = get_user_model()
    password = os.environ.get(PASSWORD_ENV) or PASSWORD_DEFAULT
    lines = ["", "Residents (sign in at /account/login/):"]
    users = {}
    for spec in RESIDENTS:
        user = User.objects.filter(email__iexact=spec["email"]).first()
        created = user is None
        if created:
            user = User.objects.create_user(
                username=spec["email"].split("@")[0],
                email=spec["email"],
                password=password,
                first_name=spec["first_name"],
                last_name=spec["last_name"],
            )
        users[spec["email"]] = user
        EmailAddress.objects.update_or_create(
            user=user,
            email=spec["email"],
            defaults={"verified": True, "primary": True},
        )
        profile, _ = Profile.objects.get_or_create(user=user)
        if created:
            profile.phone = spec["phone"]
            if spec["address"]:
                (
                    profile.address_line_1,
                    profile.address_line_2,
                    profile.town,
                    profile.postcode,
                    profile.uprn,
                ) = spec["address"]
            profile.language = spec["language"]
            profile.contact_by_sms = spec["sms"]
            profile.contact_topics = list(spec["topics"])
            profile.save()
            for number in spec["council_tax"]:
                CouncilTaxLink.objects.get_or_create(user=user, account_number=number)
            ResidentMessage.objects.bulk_create(
                ResidentMessage(
                    user=user,
                    reference=f"MSG-{user.pk:04d}-{i + 1:03d}",
                    subject=MESSAGE_SUBJECTS[i % len(MESSAGE_SUBJECTS)],
                    body="This is a message from Guildhall Borough Council about your account.",
                    sent_at=now - timedelta(days=3 * i, hours=i),
                )
                for i in range(spec["messages"])
            )
            builder.stats["residents created"] += 1
            lines.append(f"  {spec['email']:<26} password: {password} (created)")
        else:
            lines.append(
                f"  {spec['email']:<26} already existed, password not changed "
                f"(demo default: {PASSWORD_DEFAULT})"
            )
    organisation, _ = Organisation.objects.get_or_create(
        name=ORGANISATION["name"],
        defaults={"registration_number": ORGANISATION["registration_number"]},
    )
    for email, role in ORGANISATION["members"]:
        OrganisationMembership.objects.get_or_create(
            organisation=organisation, user=users[email], defaults={"role": role}
        )
    OrganisationInvitation.objects.get_or_create(
        organisation=organisation,
        email=ORGANISATION["invite"],
        defaults={"invited_by": users[ORGANISATION["members"][0][0]]},
    )
    lines.append(
        f"  Organisation: {organisation.name} (admin tom.evans@example.com, "
        "member grace.obi@example.com)"
    )
    page = _ensure_page(builder)
    lines.append(f"  My Account page: /{page.url_path.split('/', 2)[-1]}")
    lines += _ensure_advisor()
    lines += secure_demo_staff()
    return lines


def demo_staff_usernames() -> list[str]:
    """Every member of staff the demo makes (home's editors, services' case-work
    staff and partner, the contact-centre advisor)."""
    from home.demo.loader import load
    from services.demo import PARTNER, TEAMS

    return [spec["username"] for spec in load().users] + [
        *TEAMS.values(),
        PARTNER[1],
        "advisor",
    ]


def secure_demo_staff() -> list[str]:
    """Demo staff sign in like real staff: through allauth, with a verified email
    address and an authenticator app. Each gets an app secret once (kept on later
    runs); ``manage.py demo_totp USERNAME`` prints the current code for a demo
    without a phone to hand (development settings only)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    User = get_user_model()
    lines = [
        "",
        "Staff sign in at /admin/ with their email address, password and a code "
        "from an authenticator app",
        "(add the secret below to the app, or run: manage.py demo_totp USERNAME):",
    ]
    for user in User.objects.filter(username__in=demo_staff_usernames()).order_by(
        "username"
    ):
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        if Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).exists():
            lines.append(f"  {user.username:<20} {user.email:<40} app already set up")
            continue
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        lines.append(f"  {user.username:<20} {user.email:<40} app secret: {secret}")
    return lines


def _ensure_advisor() -> list[str]:
    User = get_user_model()
    group = Group.objects.filter(name=CONTACT_CENTRE_GROUP).first()
    user = User.objects.filter(username="advisor").first()
    password = os.environ.get(ADVISOR_PASSWORD_ENV) or ADVISOR_PASSWORD_DEFAULT
    if user is None:
        user = User.objects.create_user(
            username="advisor",
            email="advisor@guildhall.example",
            password=password,
            first_name="Casey",
            last_name="Advisor",
        )
        line = f"  advisor (Wagtail admin, single customer view) password: {password} (created)"
    else:
        line = f"  advisor already existed, password not changed (demo default: {ADVISOR_PASSWORD_DEFAULT})"
    if group is not None:
        user.groups.add(group)
    return ["", "Contact centre:", line]


def _ensure_page(builder) -> MyAccountPage:
    home = builder.council_home
    page = MyAccountPage.objects.child_of(home).first()
    if page is None:
        page = MyAccountPage(title="Your account", slug="your-account", body=PAGE_BODY)
        page.intro = "Everything you have done with the council, in one place."
        home.add_child(instance=page)
        admin = builder.users.get("admin")
        page.save_revision(user=admin, log_action=True).publish(user=admin)
        builder.stats["pages created"] += 1
    return page
