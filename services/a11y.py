"""What the accessibility audit walks of the transactional journeys (registered in
wagtail_hooks): every step, an error state, check your answers and the confirmation,
by keyboard alone."""

from home.a11y.journeys import Field, Journey, Step

TRANSACTION_FORM = "form[action*='#transaction-']"


def _page_path(slug: str):
    def start(site):
        from services.models import ServicePage

        page = (
            ServicePage.objects.live()
            .public()
            .descendant_of(site.root_page)
            .filter(slug=slug)
            .first()
        )
        # The page itself (with its start button) is in the crawl; the journey
        # begins where "Start now" leads.
        return page.get_url_parts()[2] + "?step=start" if page else None

    return start


def journeys() -> list[Journey]:
    street = street_problem_journey()
    return ([street] if street else []) + [
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


def paths(site) -> list[tuple[str, str]]:
    return [("Track a request", "/track-a-request/")]
