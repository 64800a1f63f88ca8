"""The cookie banner and cookies page: consent first, and still cacheable pages."""

import pytest

from tests.personalisation.test_delivery import personalise

ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


def drop_expired(client):
    """Forget cookies the last response deleted, as a browser does (the test client
    keeps them, empty)."""
    for name in [n for n, m in client.cookies.items() if m["max-age"] == 0]:
        del client.cookies[name]


def answer(client, choice, next_url="/"):
    return client.post(
        "/cookies/answer/", {"cookies": choice, "next": next_url}, **ORIGIN
    )


@pytest.mark.django_db
def test_the_banner_asks_first_and_the_page_stays_public_and_cached(client, council):
    url = council["standard"].url
    first = client.get(url)
    second = client.get(url)
    html = second.content.decode()
    assert "Accept personalisation cookies" in html
    assert "Reject personalisation cookies" in html
    assert second["X-Page-Cache"] == "hit"
    assert "public" in first["Cache-Control"]
    assert not first.cookies and "Vary" not in first


@pytest.mark.django_db
@pytest.mark.parametrize(
    "choice,word", [("accept", "accepted"), ("reject", "rejected")]
)
def test_answering_without_javascript_goes_back_with_a_confirmation_once(
    client, council, choice, word
):
    url = council["standard"].url
    client.get(url)  # cached with the question
    response = answer(client, choice, url)
    assert response.status_code == 302 and response["Location"] == url
    assert response.cookies["cookies_policy"].value == word
    assert response.cookies["cookies_policy"]["max-age"] == 31536000

    confirmed = client.get(url)
    html = confirmed.content.decode()
    assert f"You’ve {word} personalisation cookies" in html
    assert "Accept personalisation cookies" not in html
    assert "X-Page-Cache" not in confirmed  # never the shared copy
    assert "private" in confirmed["Cache-Control"]
    assert confirmed.cookies["cookies_confirmation"]["max-age"] == 0  # shown once
    drop_expired(client)

    # Afterwards the shared copy again: the question is in its HTML, and the
    # page's own script hides it for a browser holding the answer cookie.
    after = client.get(url)
    assert after["X-Page-Cache"] == "hit"
    assert "You’ve" not in after.content.decode()
    assert "cookies_policy=(accepted|rejected)" in after.content.decode()


@pytest.mark.django_db
def test_signed_in_pages_leave_the_question_out_once_answered(
    client, council, django_user_model
):
    user = django_user_model.objects.create_user("r@example.com", "r@example.com", "pw")
    client.force_login(user)
    assert (
        "Accept personalisation cookies"
        in client.get(council["standard"].url).content.decode()
    )
    client.cookies["cookies_policy"] = "rejected"
    assert (
        "Accept personalisation cookies"
        not in client.get(council["standard"].url).content.decode()
    )


@pytest.mark.django_db
def test_a_form_on_another_site_cannot_answer_for_the_visitor(client, council):
    response = client.post(
        "/cookies/answer/",
        {"cookies": "accept", "next": "/"},
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 400
    assert "cookies_policy" not in response.cookies
    # Nor can it send the visitor elsewhere afterwards.
    response = answer(client, "accept", "https://evil.example/")
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_the_cookies_page_lists_the_cookies_and_saves_the_setting(client, council):
    page = client.get("/cookies/?next=/bins/")
    html = page.content.decode()
    assert page.status_code == 200 and "private" in page["Cache-Control"]
    for name in ("cookies_policy", "sessionid", "csrftoken", "campaign"):
        assert f">{name}</th>" in html
    missing = client.post("/cookies/", {"next": "/bins/"})
    assert missing.status_code == 400
    assert "Select yes if you want to accept personalisation cookies" in (
        missing.content.decode()
    )
    saved = client.post("/cookies/", {"personalisation": "yes", "next": "/bins/"})
    assert saved.status_code == 302
    assert saved.cookies["cookies_policy"].value == "accepted"
    shown = client.get(saved["Location"]).content.decode()
    assert "You’ve set your cookie preferences" in shown
    assert 'href="/bins/"' in shown
    assert 'value="yes" checked' in shown


def campaign_segment(campaign="bins-2027"):
    from personalisation.models import CampaignRule
    from tests.factories.personalisation import SegmentFactory

    segment = SegmentFactory(name="Bin campaign")
    CampaignRule.objects.create(segment=segment, campaign=campaign)
    return segment


@pytest.mark.django_db
def test_a_campaign_counts_for_that_request_only_without_consent(client, council):
    service = council["service"]
    personalise(service, campaign_segment(), "Our new bins", "Bin help")
    arrived = client.get(service.url + "?utm_campaign=bins-2027")
    assert "Our new bins" in arrived.content.decode()
    assert "campaign" not in arrived.cookies
    later = client.get(service.url)
    assert "Bin help" in later.content.decode()


@pytest.mark.django_db
def test_with_consent_the_campaign_is_remembered_in_a_signed_cookie(client, council):
    service = council["service"]
    personalise(service, campaign_segment(), "Our new bins", "Bin help")
    answer(client, "accept")
    client.get("/")  # the confirmation
    drop_expired(client)
    arrived = client.get(service.url + "?utm_campaign=bins-2027&utm_source=leaflet")
    assert "Our new bins" in arrived.content.decode()
    cookie = arrived.cookies["campaign"]
    assert cookie["httponly"] and "bins-2027" in cookie.value
    assert "utm_source" not in cookie.value  # only parameters a rule uses
    assert "no-store" in arrived["Cache-Control"]
    for _ in range(2):  # the per-segment copy, then from the cache
        later = client.get(service.url)
        assert "Our new bins" in later.content.decode()
    assert later["X-Page-Cache"] == "hit"
    # A visitor who edits the cookie gets nothing from it.
    client.cookies["campaign"] = '{"utm_campaign":"bins-2027"}'
    assert "Bin help" in client.get(service.url).content.decode()


@pytest.mark.django_db
def test_rejecting_deletes_the_campaign_cookie_and_stops_using_it(client, council):
    service = council["service"]
    personalise(service, campaign_segment(), "Our new bins", "Bin help")
    answer(client, "accept")
    client.get(service.url + "?utm_campaign=bins-2027")
    response = answer(client, "reject")
    assert response.cookies["campaign"]["max-age"] == 0
    drop_expired(client)
    assert "Bin help" in client.get(service.url).content.decode()
