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
    return [
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


def paths(site) -> list[tuple[str, str]]:
    return [("Track a request", "/track-a-request/")]
