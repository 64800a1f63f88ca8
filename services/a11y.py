"""What the accessibility audit walks of the transactional journeys (registered in
wagtail_hooks): every step, an error state, check your answers and the confirmation,
by keyboard alone."""

from home.a11y.journeys import Field, Journey, Step

# A journey's form posts to its own pages (``<service page>/start/``).
TRANSACTION_FORM = "main form[action*='/start/']"


def _page_path(slug: str):
    def start(site):
        from services.blocks.transactions import JOURNEY_SEGMENT
        from services.models import ServicePage

        page = (
            ServicePage.objects.live()
            .public()
            .descendant_of(site.root_page)
            .filter(slug=slug)
            .first()
        )
        # The page itself (with its start button) is in the crawl; the journey
        # runs on its own pages, where "Start now" leads.
        if page is None or next(page.transaction_blocks(), None) is None:
            return None
        return page.get_url_parts()[2] + f"{JOURNEY_SEGMENT}/"  # the first one

    return start


def journeys() -> list[Journey]:
    street = street_problem_journey()
    bulky = bulky_waste_journey()
    return (
        ([street] if street else [])
        + ([bulky] if bulky else [])
        + permit_journeys()
        + [
            Journey(
                name="Report a missed bin collection (guest)",
                start=_page_path("report-a-missed-bin-collection"),
                steps=[
                    Step(
                        "postcode, nothing entered (error)",
                        [],
                        expect="There is a problem",
                        form=TRANSACTION_FORM,
                    ),
                    Step("choose the address", [Field("postcode", "GH1 1AA")]),
                    Step("which bin", [Field("uprn", "100014030001")]),
                    Step("contact details", [Field("bin_type", "recycling")]),
                    Step(
                        "check your answers",
                        [Field("name", "Sam Guest"), Field("email", "sam@example.com")],
                        expect="Accept and send",
                    ),
                    Step(
                        "confirmation",
                        [],
                        expect="BIN-",
                        submit="Accept and send",
                        form=TRANSACTION_FORM,
                    ),
                ],
            )
        ]
    )


def street_problem_journey() -> Journey | None:
    """Report a street problem as a guest, without the map: the street found from
    a postcode among the nearest streets (radios), up to "check your answers" (the
    confirmation is the missed-bin journey's; stopping here leaves no case behind
    to turn the next audit's run into a duplicate)."""
    from services.streets import nearest_to_postcode

    nearest = nearest_to_postcode("GH1 2AB")
    if not nearest:  # no street gazetteer loaded (manage.py load_streets)
        return None
    return Journey(
        name="Report a street problem without a map (guest)",
        start=_page_path("report-a-pothole"),
        steps=[
            Step(
                "category, nothing chosen (error)",
                [],
                expect="There is a problem",
                form=TRANSACTION_FORM,
            ),
            Step("where is the problem", [Field("category", "graffiti")]),
            Step(
                "location, nothing given (error)",
                [],
                expect="There is a problem",
                form=TRANSACTION_FORM,
            ),
            Step(
                "nearest streets to a postcode",
                [Field("postcode", "GH1 2AB"), Field("landmark", "By the bus stop")],
                expect="Which street is nearest?",
            ),
            Step("describe the problem", [Field("street", str(nearest[0].pk))]),
            Step(
                "contact details",
                [Field("description", "Paint on the bus shelter")],
                # Named: a page's <meta name="description"> shares the field's name.
                form=TRANSACTION_FORM,
            ),
            Step(
                "check your answers",
                [Field("email", "sam@example.com")],
                expect="Accept and send",
            ),
        ],
    )


CARD_FORM = "main form[novalidate]"


def bulky_waste_journey() -> Journey | None:
    """Book a bulky waste collection as a guest and pay on the sandbox card page:
    an item error, the date, check your answers, the card page and its error
    state, 3-D Secure and the confirmation."""
    from services.bookings.actions import available_slots
    from services.models import Calendar, Round

    calendar = Calendar.objects.filter(slug="bulky-waste").first()
    if calendar is None:
        return None
    round_ = Round.objects.filter(calendar=calendar).for_address(postcode="GH1 1AA")
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    slots = available_slots(
        calendar=calendar,
        round=round_,
        start=today,
        end=today + datetime.timedelta(days=42),
    )
    if not slots:
        return None
    return Journey(
        name="Book and pay for a bulky waste collection (guest)",
        start=_page_path("bulky-waste-collection"),
        steps=[
            Step("choose the address", [Field("postcode", "GH1 1AA")]),
            Step("what to collect", [Field("uprn", "100014030001")]),
            Step(
                "items, none entered (error)",
                [],
                expect="There is a problem",
                form=TRANSACTION_FORM,
            ),
            Step("concession", [Field("sofa", "1")]),
            Step("collection date", [Field("has_concession", "no")]),
            Step("contact details", [Field("slot", str(slots[0].pk))]),
            Step(
                "check your answers",
                [Field("email", "sam@example.com")],
                expect="Accept and send",
                form=TRANSACTION_FORM,
            ),
            Step(
                "sandbox card page",
                [],
                expect="Enter card details",
                submit="Accept and send",
                form=TRANSACTION_FORM,
            ),
            Step(
                "card details, nothing entered (error)",
                [],
                expect="There is a problem",
                form=CARD_FORM,
            ),
            Step(
                "3-D Secure",
                [
                    Field("card_number", "4000000000003220"),
                    Field("expiry", "12/35"),
                    Field("name", "Sam Guest"),
                    Field("security_code", "123"),
                ],
                expect="Confirm your payment with your bank",
                form=CARD_FORM,
            ),
            Step(
                "confirmation",
                [],
                expect="Collection booked",
                submit="Confirm payment",
                form="main form",
            ),
        ],
    )


def registrar_journey() -> Journey | None:
    """Book a registrar appointment as a guest: an unanswered question (error),
    the office, a free time, the details, check your answers, confirmation."""
    import datetime

    from django.utils import timezone

    from services.bookings.actions import available_slots
    from services.models import Calendar

    calendar = Calendar.objects.filter(slug="registrar").first()
    if calendar is None:
        return None
    today = timezone.localdate()
    slots = available_slots(
        calendar=calendar,
        start=today,
        end=today + datetime.timedelta(days=42),
        kind="Register a birth",
        location="Guildhall Register Office",
    )
    if not slots:
        return None
    return Journey(
        name="Book a registrar appointment (guest)",
        start=_page_path("register-a-birth"),
        steps=[
            Step(
                "appointment type, nothing chosen (error)",
                [],
                expect="There is a problem",
                form=TRANSACTION_FORM,
            ),
            Step("office", [Field("choice", "Register a birth")]),
            Step("time", [Field("choice", "Guildhall Register Office")]),
            Step("details", [Field("slot", str(slots[0].pk))]),
            Step(
                "contact details",
                [Field("name", "Baby Example")],
                form=TRANSACTION_FORM,
            ),
            Step(
                "check your answers",
                [Field("email", "sam@example.com")],
                expect="Accept and send",
                form=TRANSACTION_FORM,
            ),
            Step(
                "confirmation",
                [],
                expect="Appointment booked",
                submit="Accept and send",
                form=TRANSACTION_FORM,
            ),
        ],
    )


# The demo resident the signed-in journeys run as (myaccount's demo data).
DEMO_RESIDENT = "amira.khan"


def _fresh_journey(slug: str):
    """A signed-in journey keeps its answers between visits (a ``CaseDraft``):
    the walk starts from the first question, so the audit's own earlier walk is
    cleared first. Up to "check your answers" only, so no permit is made."""
    page_path = _page_path(slug)

    def start(site):
        from django.contrib.auth import get_user_model

        from services.models import CaseDraft, ServicePage

        path = page_path(site)
        page = ServicePage.objects.filter(slug=slug).first()
        user = get_user_model().objects.filter(username=DEMO_RESIDENT).first()
        if path is None or page is None or user is None:
            return None
        CaseDraft.objects.filter(
            user=user, journey_key__startswith=f"{page.pk}:"
        ).delete()
        return path.replace("?step=start", "")

    return start


def permit_journeys() -> list[Journey]:
    """Garden waste (the address from the account) and a parking permit, signed
    in as the demo resident."""
    return [
        Journey(
            name="Subscribe to garden waste collection (signed in)",
            start=_fresh_journey("garden-waste-collection"),
            user=DEMO_RESIDENT,
            steps=[
                Step(
                    "bins, nothing entered (error)",
                    [],
                    expect="There is a problem",
                    form=TRANSACTION_FORM,
                ),
                Step(
                    "check your answers",
                    [Field("bins", "1")],
                    expect="Accept and send",
                    form=TRANSACTION_FORM,
                ),
            ],
        ),
        Journey(
            name="Apply for a resident parking permit (signed in)",
            start=_fresh_journey("apply-for-a-resident-parking-permit"),
            user=DEMO_RESIDENT,
            steps=[
                Step(
                    "permit type, nothing chosen (error)",
                    [],
                    expect="There is a problem",
                    form=TRANSACTION_FORM,
                ),
                Step(
                    "vehicle",
                    [Field("permit_type", "electric")],
                    form=TRANSACTION_FORM,
                ),
                Step(
                    "vehicle, not a registration (error)",
                    [Field("registration", "NOT A REG")],
                    expect="There is a problem",
                    form=TRANSACTION_FORM,
                ),
                Step(
                    "check your answers",
                    [Field("registration", "AB12CDE")],
                    expect="Accept and send",
                    form=TRANSACTION_FORM,
                ),
            ],
        ),
    ]


def account_pages():
    """The demo resident's permits, bookings and payments, and renewing the
    permit the demo gives them (due for renewal)."""
    from django.contrib.auth import get_user_model

    from home.a11y.audit import AccountPages
    from services.models import Permit

    user = get_user_model().objects.filter(username=DEMO_RESIDENT).first()
    if user is None:
        return []
    pages = [("Your permits, bookings and payments", "/account/bookings/")]
    permit = Permit.objects.for_resident(user).current().order_by("valid_until").first()
    if permit is not None:
        pages.append(("Renew a permit", f"/account/permits/{permit.uuid}/renew/"))
    return [AccountPages(user=DEMO_RESIDENT, paths=pages)]


def paths(site) -> list[tuple[str, str]]:
    return [("Track a request", "/track-a-request/")]
