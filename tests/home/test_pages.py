"""Every page type renders with the GOV.UK layout and the council's chrome."""

import pytest

PAGE_KEYS = [
    "home",
    "landing",
    "service",
    "guide",
    "step_by_step",
    "news_index",
    "article",
    "a_to_z",
    "standard",
]


def assert_govuk_layout(html: str):
    assert 'class="govuk-template"' in html
    assert 'href="#main-content" class="govuk-skip-link"' in html
    assert 'id="main-content"' in html
    assert "govuk-generic-header" in html
    assert "govuk-footer" in html
    assert html.count("<h1") == 1
    # Never GOV.UK's own identity.
    assert "govuk-footer__crown" not in html
    assert "Crown copyright" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("key", PAGE_KEYS)
def test_every_page_type_renders_with_the_govuk_layout(client, council, key):
    page = council[key]
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert_govuk_layout(html)
    assert page.title in html


@pytest.mark.django_db
def test_every_site_footer_links_to_the_cookies_page(client, council):
    from bs4 import BeautifulSoup

    footer = BeautifulSoup(client.get("/").content, "html.parser").select_one("footer")
    link = footer.find("a", string="Cookies")
    assert link is not None and link["href"] == "/cookies/"
    settings_page = client.get(link["href"])
    assert settings_page.status_code == 200
    assert b"sessionid" in settings_page.content  # the page lists every cookie


@pytest.mark.django_db
def test_content_pages_offer_page_feedback(client, council):
    html = client.get(council["service"].url).content.decode()
    assert "Was this page useful?" in html
    assert f'name="page" value="{council["service"].pk}"' in html


@pytest.mark.django_db
def test_breadcrumbs_lead_back_to_home_through_the_service_area(client, council):
    html = client.get(council["service"].url).content.decode()
    assert 'aria-label="Breadcrumb"' in html
    assert '<a class="govuk-breadcrumbs__link" href="/">Home</a>' in html
    assert f'href="{council["landing"].url}">Bins and recycling</a>' in html


@pytest.mark.django_db
def test_guide_parts_have_their_own_urls_with_contents_and_next_links(client, council):
    guide = council["guide"]
    first = client.get(guide.url).content.decode()
    assert "Overview" in first and 'rel="next"' in first
    assert f'href="{guide.url}how-to-pay/"' in first
    second = client.get(f"{guide.url}how-to-pay/")
    assert second.status_code == 200
    html = second.content.decode()
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert '<span aria-current="page">How to pay</span>' in html
    assert client.get(f"{guide.url}no-such-part/").status_code == 404


@pytest.mark.django_db
def test_step_by_step_is_shown_beside_the_pages_it_links(client, council):
    html = client.get(council["service"].url).content.decode()
    assert "Part of" in html
    assert "Moving home" in html
    journey = client.get(council["step_by_step"].url).content.decode()
    assert "Tell us you are moving" in journey
    assert 'council-step-by-step__logic">and<' in journey


@pytest.mark.django_db
def test_a_to_z_lists_services_by_letter_and_marks_empty_letters(client, council):
    index = client.get(council["a_to_z"].url).content.decode()
    assert f'href="{council["a_to_z"].url}r/"' in index
    assert "No services beginning with </span>Z" in index
    letter = client.get(f"{council['a_to_z'].url}r/").content.decode()
    assert "Report a missed bin" in letter
    assert client.get(f"{council['a_to_z'].url}1/").status_code == 404


@pytest.mark.django_db
def test_news_index_lists_articles_newest_first_and_paginates(client, council):
    from tests.factories.services import NewsArticlePageFactory

    for _ in range(12):
        NewsArticlePageFactory(parent=council["news_index"])
    html = client.get(council["news_index"].url).content.decode()
    assert 'aria-label="Pagination"' in html
    assert html.count("council-news-list") == 1
    second = client.get(council["news_index"].url + "?page=2")
    assert second.status_code == 200
    assert client.get(council["news_index"].url + "?page=zzz").status_code == 200


@pytest.mark.django_db
def test_unknown_url_gets_the_styled_not_found_page(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert_govuk_layout(response.content.decode())


@pytest.mark.django_db
def test_step_by_step_sidebar_marks_the_step_this_page_belongs_to(client, council):
    html = client.get(council["service"].url).content.decode()
    current = html.split("council-step-by-step__step--current", 1)
    assert len(current) == 2
    assert "Tell us you are moving" in current[1].split("</li>", 1)[0]


def test_server_error_page_is_styled_and_needs_no_database(rf):
    from home.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    assert 'class="govuk-template"' in html


@pytest.mark.django_db
def test_long_service_lists_are_paginated(client, council, settings):
    from tests.factories.services import ServicePageFactory

    settings.PAGE_CACHE_SECONDS = 0
    for number in range(55):
        ServicePageFactory(
            parent=council["landing"], title=f"Rubbish service {number:02d}"
        )
    first = client.get(council["landing"].url).content.decode()
    assert 'aria-label="Pagination"' in first
    assert first.count('class="council-card"') == 48
    second = client.get(council["landing"].url + "?page=2").content.decode()
    assert "Rubbish service 54" in second
    assert client.get(council["landing"].url + "?page=999").status_code == 200
    letter = client.get(f"{council['a_to_z'].url}r/").content.decode()
    assert "Rubbish service 00" in letter and "Report a missed bin" in letter
