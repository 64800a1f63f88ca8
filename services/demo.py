"""Demo data for cases, added while ``manage.py load_demo`` builds the pages
(``home.demo.builders.demo_pages_ready``): teams, service definitions, a partner
organisation with a user, the missed-bin and street-problem journeys on their
service pages, and a few cases for the demo residents. Idempotent, like the rest of
the demo."""

from __future__ import annotations

import datetime
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import FieldError
from django.db import transaction
from django.utils import timezone

from services.enums import Channel, default_transitions

TEAMS = {
    "Waste team": "waste.officer",
    "Highways team": "highways.officer",
    "Contact centre": "contact.centre",
}
PARTNER = ("Roadworks Partnership Ltd", "partner.contractor")
PASSWORD_ENV = "DEMO_STAFF_PASSWORD"  # noqa: S105 - a variable name
PASSWORD_DEFAULT = "guildhall-staff-2026"  # noqa: S105 - demo only
SERVICES = [
    {
        "name": "Missed bin collection",
        "reference_prefix": "BIN",
        "case_type": "Missed bin",
        "team": "Waste team",
        "sla_days": 2,
        "guest_allowed": True,
        "retention_days": 365,
        "canned_responses": [
            (
                "response",
                {
                    "title": "Crew returning",
                    "text": "The crew will return to collect your bin within 2 working days.",
                },
            ),
            (
                "response",
                {
                    "title": "Wrong items",
                    "text": "Your bin had items that cannot go in it, so we could not empty it. The tag on the handle explains why.",
                },
            ),
        ],
    },
    {
        "name": "Street problem",
        "reference_prefix": "STR",
        "case_type": "Street problem",
        "team": "Highways team",
        "sla_days": 10,
        "guest_allowed": True,
        # Listed for report-it apps at /open311/v2/services.json.
        "open311": True,
        "retention_days": 730,
        "canned_responses": [
            (
                "response",
                {
                    "title": "Inspection booked",
                    "text": "An inspector will look at the problem within 5 working days.",
                },
            ),
        ],
    },
]
# (demo page key, transactional block, service reference prefix)
JOURNEYS = [
    ("report-a-missed-bin-collection", "missed_bin", "BIN"),
    ("report-a-pothole", "street_problem", "STR"),
]


def ensure_staff(username: str, group: Group) -> tuple[object, bool]:
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    created = user is None
    if created:
        user = User.objects.create_user(
            username=username,
            email=f"{username}@guildhall.example",
            password=os.environ.get(PASSWORD_ENV) or PASSWORD_DEFAULT,
            first_name=username.split(".")[0].capitalize(),
            last_name="(demo)",
        )
    access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    group.permissions.add(access)
    user.groups.add(group)
    return user, created


def ensure_services() -> dict:
    from services.models import PartnerGroup, ServiceDefinition

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in TEAMS}
    services = {}
    for spec in SERVICES:
        values = dict(spec, team=groups[spec["team"]])
        name = values.pop("name")
        service, created = ServiceDefinition.objects.get_or_create(
            name=name, defaults=values | {"allowed_transitions": default_transitions()}
        )
        services[service.reference_prefix] = service
    partner_name, partner_username = PARTNER
    partner_group, _ = Group.objects.get_or_create(name=partner_name)
    PartnerGroup.objects.get_or_create(
        group=partner_group, defaults={"organisation_name": partner_name}
    )
    staff = {
        name: ensure_staff(username, groups[name]) for name, username in TEAMS.items()
    }
    # Contact-centre staff open cases for callers (services.on_behalf).
    groups["Contact centre"].permissions.add(
        Permission.objects.get(
            content_type__app_label="services", codename="open_case_on_behalf"
        )
    )
    staff[partner_name] = ensure_staff(partner_username, partner_group)
    return {"services": services, "staff": staff, "partner": partner_group}


def with_journey(fields: dict, block_type: str, service) -> dict:
    """A demo service page's fields with the transactional block at the end of its
    body, and no start link (the journey is on the page itself)."""
    body = [item for item in fields.get("body") or [] if item["type"] != block_type]
    body.append({"type": block_type, "value": {"service": service.pk, "heading": ""}})
    return {**fields, "body": body, "start": []}


def create_demo_cases(services: dict, staff: dict, partner) -> int:
    """A few cases for each demo resident (users with a resident profile)."""
    from services import actions
    from services.models import Case, Street

    User = get_user_model()
    try:
        residents = list(
            User.objects.filter(
                resident_profile__isnull=False, is_staff=False
            ).order_by("pk")[:3]
        )
    except FieldError:  # the accounts app is not installed
        residents = []
    if not residents or Case.objects.filter(resident__in=residents).exists():
        return 0
    officer = staff["Waste team"][0]
    roads = staff["Highways team"][0]
    made = 0
    for index, resident in enumerate(residents):
        profile = resident.resident_profile
        case = actions.open_case(
            service=services["BIN"],
            answers={"bin_type": "recycling", "bin_type_label": "Recycling (blue bin)"},
            resident=resident,
            summary="Recycling (blue bin) not collected",
            category="recycling",
            address=", ".join(profile.address_lines)
            if hasattr(profile, "address_lines")
            else "",
            postcode=profile.postcode,
            uprn=profile.uprn,
            idempotency_key=None,
        )
        actions.change_status(case=case, to_status="in_progress", actor=officer)
        actions.add_note(
            case=case, actor=officer, text="Crew asked to return.", public=False
        )
        actions.add_note(
            case=case,
            actor=officer,
            text="The crew will return to collect your bin within 2 working days.",
            public=True,
        )
        made += 1
        street = actions.open_case(
            service=services["STR"],
            answers={
                "category": "pothole",
                "description": "Deep pothole by the bus stop",
            },
            resident=resident,
            summary="Pothole",
            category="pothole",
            location_description="Market Street, outside the bus stop",
            street_id=Street.objects.filter(name="Market Street")
            .values_list("pk", flat=True)
            .first(),
            channel=Channel.PHONE if index == 1 else Channel.WEB,
            actor=staff["Contact centre"][0] if index == 1 else None,
        )
        actions.assign(case=street, actor=roads, partner=partner)
        made += 1
    # One overdue case so the overdue filter and beat job have something to show.
    first_street = Case.objects.filter(reference__startswith="STR-").order_by("pk")
    Case.objects.filter(pk__in=first_street.values("pk")[:1]).update(
        due_date=timezone.localdate() - datetime.timedelta(days=3)
    )
    # Today's figures for Reports → Services (beat refreshes them hourly).
    from services.reports.rollup import rollup_day

    rollup_day(timezone.localdate())
    return made


def add_demo_cases(sender, builder, **kwargs) -> list[str]:
    """``demo_pages_ready`` receiver: services and staff now, the journeys on their
    pages as they are published, the residents' cases once the load commits."""
    found = ensure_services()
    for key, block_type, prefix in JOURNEYS:
        service = found["services"][prefix]
        builder.amend(
            key,
            lambda fields, block_type=block_type, service=service: with_journey(
                fields, block_type, service
            ),
            wanted_by=f"services (the {block_type} journey)",
        )
    from services.demo_bookings import (
        create_demo_bookings,
        create_demo_permits,
        ensure_bulky,
        ensure_permit_schemes,
        ensure_registrar,
        with_bulky_journey,
        with_permit_journey,
        with_registrar_journey,
    )

    bulky = ensure_bulky(Group.objects.get(name="Waste team"))
    builder.amend(
        "bulky-waste-collection",
        lambda fields: with_bulky_journey(fields, bulky),
        wanted_by="services (the bulky waste journey)",
    )
    registrar = ensure_registrar()
    for key in ("register-a-birth", "register-a-death"):
        builder.amend(
            key,
            lambda fields: with_registrar_journey(fields, registrar),
            wanted_by="services (the registrar appointment journey)",
        )
    schemes = ensure_permit_schemes(Group.objects.get(name="Waste team"))
    for key, block_type, scheme in [
        ("garden-waste-collection", "garden_waste", schemes["garden"]),
        (
            "apply-for-a-resident-parking-permit",
            "resident_parking_permit",
            schemes["parking"],
        ),
    ]:
        builder.amend(
            key,
            lambda fields, block_type=block_type, scheme=scheme: with_permit_journey(
                fields, block_type, scheme
            ),
            wanted_by=f"services (the {block_type} journey)",
        )
    # Demo residents are made later in the load (My Account's demo_content_loaded
    # receiver): add their cases once the whole demo load has committed.
    transaction.on_commit(
        lambda: create_demo_cases(found["services"], found["staff"], found["partner"])
    )
    transaction.on_commit(lambda: create_demo_bookings(bulky))
    transaction.on_commit(lambda: create_demo_permits(schemes))
    lines = [
        "",
        f"Case work at /admin/cases/ (password: ${PASSWORD_ENV} or {PASSWORD_DEFAULT}):",
    ]
    lines += [
        f"  {user.username} ({team})" for team, (user, _c) in found["staff"].items()
    ]
    lines += [f"  Journey on the {key} page" for key, _block, _prefix in JOURNEYS]
    lines += [
        "  Journey on the bulky-waste-collection page (sandbox card 4444 3333 2222 "
        "1111; concession reference CTR123456)",
        "  Journey on the register-a-birth and register-a-death pages (no payment)",
        "  Journeys on the garden-waste-collection and "
        "apply-for-a-resident-parking-permit pages (signed in; sandbox card)",
        "  Payments at /admin/payments/, bookings at /admin/bookings/",
    ]
    return lines
