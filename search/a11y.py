"""What the accessibility audit checks of site search (registered in wagtail_hooks)."""

from home.a11y.journeys import Field, Journey, Step


def search_paths(site) -> list[tuple[str, str]]:
    return [
        ("Search results", "/search/?q=bins"),
        ("Search results, page 2", "/search/?q=council&page=2"),
        ("Search with no results", "/search/?q=zzqqxxnothing"),
        ("Search with an empty query", "/search/?q="),
    ]


def search_journeys() -> list[Journey]:
    """Searching from the box in every page's header, by keyboard."""
    return [
        Journey(
            name="Site search",
            # The demo's words are the council site's; a microsite's search covers
            # the microsite only.
            start=lambda site: "/" if site.is_default_site else None,
            steps=[
                Step(
                    "results for 'missed bin'",
                    [Field("q", "missed bin")],
                    expect="Report a missed bin collection",
                )
            ],
        )
    ]
