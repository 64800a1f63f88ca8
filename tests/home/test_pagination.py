"""The GOV.UK pagination shows the first, last and nearby pages, whatever the count."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string

from frontend.templatetags.govuk import pagination_items


def test_long_runs_of_pages_are_shortened_with_ellipses():
    page = Paginator(range(21 * 48), 48).page(10)
    assert pagination_items(page) == [1, None, 8, 9, 10, 11, 12, None, 21]
    first = Paginator(range(21 * 48), 48).page(1)
    assert pagination_items(first) == [1, 2, 3, None, 21]


def test_the_rendered_pagination_marks_the_current_page_and_the_gaps():
    page = Paginator(range(21 * 48), 48).page(10)
    html = render_to_string(
        "frontend/components/pagination.html", {"page_obj": page, "query": "q=bins"}
    )
    assert html.count("govuk-pagination__item--ellipses") == 2
    assert 'href="?q=bins&amp;page=10" aria-label="Page 10" aria-current="page"' in html
    assert 'aria-label="Page 21"' in html and 'aria-label="Page 5"' not in html
