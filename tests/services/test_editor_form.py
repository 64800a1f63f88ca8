"""Journey 3: a service an editor builds from question blocks, no developer needed."""

import pytest

from services.blocks.transactions import STEP_FIELD, TRANSACTION_FIELD
from services.models import Case
from tests.factories.services import ServiceLandingPageFactory, ServicePageFactory
from tests.services.conftest import block_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def form_page(home_page, bin_service):
    landing = ServiceLandingPageFactory(parent=home_page, title="Waste", slug="waste")
    page = ServicePageFactory(
        parent=landing, title="Request a new bin", slug="new-bin", body=[]
    )
    questions = [
        (
            "choice",
            {
                "label": "Which bin?",
                "hint": "",
                "required": True,
                "choices": ["Black", "Blue"],
            },
        ),
        ("date", {"label": "When did it break?", "hint": "", "required": True}),
        (
            "text",
            {
                "label": "Anything else?",
                "hint": "",
                "required": False,
                "long_answer": True,
                "max_length": 50,
            },
        ),
    ]
    page.body = [
        (
            "form_service",
            {
                "service": bin_service,
                "heading": "",
                "intro": "",
                "questions": questions,
            },
        ),
    ]
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def post(client, page, step, **data):
    return client.post(
        page.url,
        {TRANSACTION_FIELD: block_id(page, "form_service"), STEP_FIELD: step, **data},
    )


def test_editor_built_form_asks_one_question_per_page_and_opens_a_case(
    client, form_page, resident
):
    client.force_login(resident)
    assert "Which bin?" in client.get(form_page.url).content.decode()
    bad = post(client, form_page, "q1", answer="Purple")
    assert "govuk-error-summary" in bad.content.decode()
    post(client, form_page, "q1", answer="Blue")
    bad_date = post(client, form_page, "q2", answer="31/02/2026")
    assert "Enter a real date" in bad_date.content.decode()
    post(client, form_page, "q2", answer="03/11/2026")
    too_long = post(client, form_page, "q3", answer="x" * 51)
    assert "govuk-error-summary" in too_long.content.decode()
    response = post(client, form_page, "q3", answer="")
    assert response.url.endswith("?step=check")
    html = client.get(response.url).content.decode()
    assert "Which bin?" in html and "2026-11-03" in html and "Not given" in html
    token = html.split('name="token" value="')[1].split('"')[0]
    post(client, form_page, "check", token=token)
    case = Case.objects.get()
    assert case.answers == {
        "Which bin?": "Blue",
        "When did it break?": "2026-11-03",
        "Anything else?": "",
    }
    assert case.resident == resident and case.team == case.service.team
