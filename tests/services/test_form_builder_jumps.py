"""The form builder's jumps ("if the answer is yes, go to question 5"), the
honest "Question N of M" on a form that branches, and the declaration a resident
accepts before sending.

Every journey runs through the test client against a published service page, as
a resident meets it."""

import re

from django.utils import timezone

import pytest

from tests.factories.services import ServiceLandingPageFactory, ServicePageFactory
from tests.services.conftest import journey
from tests.services.test_form_builder import (
    BRANCHING,
    _clean,
    post,
    q,
    send,
    step_names,
    when,
)

pytestmark = pytest.mark.django_db


def go_to(answer, label):
    return {"go_to": {"answer": answer, "question": label}}


def text(label, **extra):
    return q("text", label, long_answer=False, max_length=100, **extra)


@pytest.fixture
def make_form(home_page, bin_service):
    landing = ServiceLandingPageFactory(parent=home_page, title="Forms", slug="forms")

    def make(questions, slug="form", declaration=""):
        page = ServicePageFactory(parent=landing, title="A form", slug=slug, body=[])
        page.body = [
            (
                "form_service",
                {
                    "service": bin_service,
                    "heading": "",
                    "intro": "",
                    "questions": questions,
                    "declaration": declaration,
                },
            )
        ]
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    return make


def check_page(client, page) -> str:
    return client.get(journey(page) + "?step=check").content.decode()


def caption(client, page, step) -> str:
    html = client.get(journey(page) + f"?step={step}").content.decode()
    found = re.search(r'<span class="govuk-caption-l">(.*?)</span>', html)
    return found.group(1) if found else ""


# -- jumps ---------------------------------------------------------------------------

# "If the answer to question 2 is yes, go to question 5."
JUMPING = [
    text("Your reference"),
    q("yes_no", "Is the bin missing?", **go_to("Yes", "Which bin?")),
    text("What is damaged?"),
    text("How did it happen?"),
    q("select", "Which bin?", choices=["Black", "Garden"]),
]


def test_a_jump_passes_over_questions_and_changing_the_answer_asks_them(
    client, make_form, resident
):
    page = make_form(JUMPING)
    client.force_login(resident)
    reference, missing, damaged, how, which = step_names(page)
    post(client, page, reference, answer="REF-1")
    assert post(client, page, missing, answer="Yes").url.endswith(f"?step={which}")
    # Back from the question jumped to goes to the question that jumped.
    html = client.get(journey(page) + f"?step={which}").content.decode()
    assert f"?step={missing}" in html
    assert post(client, page, which, answer="Black").url.endswith("?step=check")
    check = check_page(client, page)
    assert "Is the bin missing?" in check and "Which bin?" in check
    assert "What is damaged?" not in check and "How did it happen?" not in check
    # A question passed over is out of order: redirected, its answer not kept.
    forged = post(client, page, damaged, answer="sneaked in")
    assert forged.status_code == 302 and forged.url.endswith("?step=check")
    assert "sneaked in" not in check_page(client, page)
    # Changing the answer from check your answers asks the questions passed over,
    # one after the other, then returns to check your answers.
    changed = post(client, page, missing, answer="No", change="1")
    assert changed.url.endswith(f"?step={damaged}&change=1")
    assert post(client, page, damaged, answer="The lid", change="1").url.endswith(
        f"?step={how}&change=1"
    )
    assert post(client, page, how, answer="A lorry", change="1").url.endswith(
        "?step=check"
    )
    check = check_page(client, page)
    assert "The lid" in check and "A lorry" in check
    case = send(client, page)
    assert case.answers == {
        "Your reference": "REF-1",
        "Is the bin missing?": "No",
        "What is damaged?": "The lid",
        "How did it happen?": "A lorry",
        "Which bin?": "Black",
    }


def test_answers_passed_over_by_a_jump_are_not_sent(client, make_form, resident):
    page = make_form(JUMPING)
    client.force_login(resident)
    reference, missing, damaged, how, which = step_names(page)
    post(client, page, reference, answer="REF-2")
    post(client, page, missing, answer="No")
    post(client, page, damaged, answer="The lid")
    post(client, page, how, answer="A lorry")
    post(client, page, which, answer="Garden")
    # The resident changes their mind: the bin is missing after all.
    assert post(client, page, missing, answer="Yes", change="1").url.endswith(
        "?step=check"
    )
    assert "The lid" not in check_page(client, page)
    case = send(client, page)
    assert case.answers == {
        "Your reference": "REF-2",
        "Is the bin missing?": "Yes",
        "Which bin?": "Garden",
    }


def test_a_jump_and_conditions_work_together(client, make_form, resident):
    """A question whose condition names a question passed over is not asked; a
    jump on a free-text answer matches whatever its case."""
    page = make_form(
        [
            text("Postcode", **go_to("GH1 2BB", "Anything else?")),
            q("yes_no", "Is it blocking the road?"),
            text("Which road?", **when("Is it blocking the road?", "Yes")),
            q("yes_no", "Anything else?"),
            text("Tell us more", **when("Is it blocking the road?", "Yes")),
        ]
    )
    client.force_login(resident)
    postcode, _blocking, _road, anything, _more = step_names(page)
    assert post(client, page, postcode, answer="gh1 2bb").url.endswith(
        f"?step={anything}"
    )
    assert post(client, page, anything, answer="No").url.endswith("?step=check")
    assert send(client, page).answers == {
        "Postcode": "gh1 2bb",
        "Anything else?": "No",
    }


def test_a_journey_keeps_the_jumps_of_the_version_it_started(
    client, make_form, resident, other_resident
):
    page = make_form(JUMPING)
    client.force_login(resident)
    reference, missing, damaged, _how, which = step_names(page)
    post(client, page, reference, answer="REF-3")
    # The editor removes the jump and republishes.
    page.body[0].value["questions"][1].value["go_to"] = {"answer": "", "question": ""}
    page.save_revision().publish()
    assert post(client, page, missing, answer="Yes").url.endswith(f"?step={which}")
    # A journey started now asks every question.
    client.force_login(other_resident)
    post(client, page, reference, answer="REF-4")
    assert post(client, page, missing, answer="Yes").url.endswith(f"?step={damaged}")


@pytest.mark.parametrize(
    ("jump", "message"),
    [
        (go_to("Yes", "Is the bin missing?"), "A question cannot go to itself"),
        (go_to("Yes", "Your reference"),
         "“Your reference” comes before this question. A jump goes to a question "
         "further on."),
        (go_to("Yes", "Which colour?"), "No later question is labelled “Which colour?”"),
        (go_to("Perhaps", "Which bin?"),
         "“Perhaps” is not an answer to this question. Use one of: Yes, No"),
        (go_to("", "Which bin?"), "Enter the answer that goes to “Which bin?”"),
        (go_to("Yes", ""), "Enter the label of the later question to go to"),
    ],
)  # fmt: skip
def test_editors_are_told_when_a_jump_cannot_work(bin_service, jump, message):
    from wagtail.blocks.struct_block import StructBlockValidationError

    questions = list(JUMPING)
    questions[1] = q("yes_no", "Is the bin missing?", **jump)
    block, value = _clean(bin_service, questions)
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(value)
    error = raised.value.block_errors["questions"].block_errors[1]
    assert message in str(error.block_errors["go_to"])


def test_a_jump_and_a_condition_both_wrong_are_both_reported(bin_service):
    from wagtail.blocks.struct_block import StructBlockValidationError

    block, value = _clean(
        bin_service,
        [
            text("Your reference"),
            q("yes_no", "Is the bin missing?", **when("Your reference", "A"),
              **go_to("Yes", "Your reference")),
        ],
    )  # fmt: skip
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(value)
    error = raised.value.block_errors["questions"].block_errors[1]
    assert "is not a choice, yes/no or select question" in str(
        error.block_errors["show_when"]
    )
    assert "comes before this question" in str(error.block_errors["go_to"])
    block, value = _clean(bin_service, JUMPING)
    assert block.clean(value)["questions"][1].value["go_to"]["question"] == "Which bin?"


def test_editors_see_the_jump_error_in_the_page_editor(
    client, make_form, bin_service, admin_user
):
    """The page editor refuses to save and says what is wrong, by the jump."""
    from django.urls import reverse

    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        streamfield,
    )

    page = make_form(JUMPING)
    client.force_login(admin_user)
    question = {"show_when": {"question": "", "answer": ""}}
    questions = streamfield(
        [
            ("text", {**text("Your reference")[1], **question}),
            ("yes_no", {**q("yes_no", "Is the bin missing?")[1], **question,
                        **go_to("Yes", "Your reference")}),
        ]
    )  # fmt: skip
    form = {"service": bin_service.pk, "heading": "", "intro": ""}
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "comments": inline_formset([]),
            "start": streamfield([]),
            "start_button_text": "Start now",
            "related_links": streamfield([]),
            "body": streamfield(
                [("form_service", {**form, "questions": questions, "declaration": ""})]
            ),
        }
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 200
    # The message travels to the block's form as JSON (its quotes escaped).
    assert "comes before this question. A jump goes to a question further on." in (
        response.content.decode()
    )
    page.refresh_from_db()
    assert page.latest_revision_id == page.live_revision_id  # nothing was saved


# -- "Question N of M" ---------------------------------------------------------------


def test_question_n_of_m_counts_the_route_the_answers_settle(
    client, make_form, resident
):
    page = make_form(JUMPING)
    client.force_login(resident)
    reference, missing, damaged, how, which = step_names(page)
    # Whether questions 3 and 4 are asked is not known yet: no "of M".
    assert caption(client, page, reference) == "Question 1"
    post(client, page, reference, answer="REF-5")
    assert caption(client, page, missing) == "Question 2"
    post(client, page, missing, answer="Yes")
    assert caption(client, page, which) == "Question 3 of 3"
    post(client, page, missing, answer="No")
    assert caption(client, page, damaged) == "Question 3 of 5"
    post(client, page, damaged, answer="The lid")
    assert caption(client, page, how) == "Question 4 of 5"


def test_question_n_of_m_waits_for_the_answer_a_condition_reads(
    client, make_form, resident
):
    page = make_form(BRANCHING)
    client.force_login(resident)
    damaged, what, which, how_many = step_names(page)
    assert caption(client, page, damaged) == "Question 1"
    post(client, page, damaged, answer="Yes")
    assert caption(client, page, what) == "Question 2"  # "Which bin?" decides
    post(client, page, what, answer="The lid")
    post(client, page, which, answer="Black")
    # Everything deciding is answered: the route is 3 questions.
    html = client.get(journey(page) + f"?step={which}").content.decode()
    assert "Question 3 of 3" in html


def test_a_form_without_branching_always_counts(client, make_form, resident):
    page = make_form([text("Your reference"), q("yes_no", "Is it urgent?")])
    client.force_login(resident)
    first, _second = step_names(page)
    assert caption(client, page, first) == "Question 1 of 2"


# -- declaration ---------------------------------------------------------------------

DECLARATION = (
    "I declare that the information I have given is correct.\n"
    "I understand that a false statement may lead to prosecution."
)


def test_a_declaration_is_accepted_and_recorded_on_the_case(
    client, make_form, resident
):
    page = make_form([text("Your reference")], declaration=DECLARATION)
    client.force_login(resident)
    [reference] = step_names(page)
    post(client, page, reference, answer="REF-6")
    check = check_page(client, page)
    assert '<h2 class="govuk-heading-m">Now send your application</h2>' in check
    assert (
        "I declare that the information I have given is correct.<br>"
        "I understand that a false statement may lead to prosecution." in check
    )
    assert "Accept and send" in check
    assert "Now send your request" not in check
    before = timezone.now()
    case = send(client, page)
    case.refresh_from_db()
    assert case.declaration == DECLARATION
    assert before <= case.declaration_accepted_at <= timezone.now()


def test_a_form_without_a_declaration_records_none(client, make_form, resident):
    page = make_form([text("Your reference")])
    client.force_login(resident)
    [reference] = step_names(page)
    post(client, page, reference, answer="REF-7")
    check = check_page(client, page)
    assert "Now send your request" in check and "Now send your application" not in check
    case = send(client, page)
    case.refresh_from_db()
    assert case.declaration == "" and case.declaration_accepted_at is None


def test_staff_see_the_declaration_the_resident_accepted(
    client, make_form, resident, admin_user
):
    from django.urls import reverse

    page = make_form([text("Your reference")], declaration=DECLARATION)
    client.force_login(resident)
    post(client, page, step_names(page)[0], answer="REF-8")
    case = send(client, page)
    client.force_login(admin_user)
    html = client.get(reverse("services_cases:detail", args=[case.pk])).content.decode()
    accepted = timezone.localtime(case.declaration_accepted_at)
    assert f"Declaration accepted {accepted:%-d %b %Y, %H:%M}" in html
    assert "I understand that a false statement may lead to prosecution." in html
