"""The cookie banner and cookies page in the accessibility audit (every site): the
banner's question on the first page, its confirmation after accepting, and the
cookies page with its error and saved states."""

from home.a11y.journeys import Field, Journey, Step

BANNER_FORM = "form[action$='/cookies/answer/']"
SETTINGS_FORM = "main form[action$='/cookies/']"


def cookie_journeys() -> list[Journey]:
    return [
        Journey(
            name="Cookie banner",
            start=lambda site: "/",
            steps=[
                Step(
                    "accepted (confirmation)",
                    [],
                    expect="You’ve accepted personalisation cookies",
                    submit="Accept personalisation cookies",
                    form=BANNER_FORM,
                ),
            ],
        ),
        Journey(
            name="Cookie banner, rejected",
            start=lambda site: "/",
            steps=[
                Step(
                    "rejected (confirmation)",
                    [],
                    expect="You’ve rejected personalisation cookies",
                    submit="Reject personalisation cookies",
                    form=BANNER_FORM,
                ),
            ],
        ),
        Journey(
            name="Cookie settings",
            start=lambda site: "/cookies/",
            steps=[
                Step(
                    "nothing chosen (error)",
                    [],
                    expect="There is a problem",
                    form=SETTINGS_FORM,
                ),
                Step(
                    "saved",
                    [Field("personalisation", "yes")],
                    expect="You’ve set your cookie preferences",
                ),
            ],
        ),
    ]
