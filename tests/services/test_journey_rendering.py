"""A journey block only reads while the page renders: the journey is saved while
the page is served, so a page rendered any other way (a preview) changes nothing.
And a case opened for a caller takes the caller it is given."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.template.response import TemplateResponse

import pytest

from services import actions
from services.models import CaseDraft
from services.on_behalf import Caller
from tests.services.conftest import block_id, journey

pytestmark = pytest.mark.django_db


def render_without_serving(rf, page, user, query=""):
    """The page's HTML as a preview makes it: context and template, no ``serve``."""
    request = rf.get(page.url + query)
    request.user = user
    request.session = SessionStore()
    request.session.save()
    request.session.modified = False  # a new store counts as modified once saved
    request.COOKIES[settings.SESSION_COOKIE_NAME] = request.session.session_key
    response = TemplateResponse(
        request, page.get_template(request), page.get_context(request)
    )
    response.render()
    return request, response.content.decode()


def test_rendering_a_guest_journey_saves_nothing(rf, missed_bin_page):
    request, html = render_without_serving(
        rf, missed_bin_page, AnonymousUser(), "?step=start"
    )
    # A preview shows the service page and its start button; the journey runs
    # only on its own pages, while they are served.
    assert "Start now" in html and journey(missed_bin_page) in html
    assert not request.session.modified
    assert not any(key.startswith("journey:") for key in request.session.keys())


def test_serving_a_guest_journey_keeps_its_token_from_the_first_view(
    client, missed_bin_page
):
    client.get(journey(missed_bin_page) + "?step=start")
    key = f"journey:{missed_bin_page.pk}:{block_id(missed_bin_page)}"
    token = client.session[key]["token"]
    client.get(journey(missed_bin_page) + "?step=start")
    assert client.session[key]["token"] == token


def test_rendering_a_prefilled_journey_keeps_no_draft_but_serving_does(
    rf, client, missed_bin_page, resident
):
    from myaccount.models import Profile

    Profile.objects.update_or_create(
        user=resident,
        defaults={
            "postcode": "GU1 4AA",
            "address_line_1": "1 High St",
            "uprn": "100061234567",
        },
    )
    render_without_serving(rf, missed_bin_page, resident, "?step=start")
    assert not CaseDraft.objects.filter(user=resident).exists()
    client.force_login(resident)
    client.get(journey(missed_bin_page) + "?step=start")
    draft = CaseDraft.objects.get(user=resident)
    assert draft.state["answers"]


def test_a_case_opened_for_a_caller_takes_their_channel_phone_and_staff(
    bin_service, waste_officer
):
    caller = Caller(
        page_id=1,
        channel="phone",
        name="Sam Caller",
        email="",
        phone="01632 960 001",
        staff=waste_officer,
    )
    case = actions.open_case(service=bin_service, answers={}, caller=caller)
    assert (case.channel, case.contact_name, case.contact_phone) == (
        "phone",
        "Sam Caller",
        "01632 960 001",
    )
    first = case.events.get(kind="submitted")
    assert first.actor == waste_officer
    assert first.text == "Missed bin request received by phone."
    # Without a caller the same call is refused: nobody to reply to.
    with pytest.raises(ValueError):
        actions.open_case(service=bin_service, answers={})
