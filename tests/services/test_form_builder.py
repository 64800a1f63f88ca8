"""The form builder: question types and their GOV.UK errors, "add another",
branching, and a journey keeping the version of the form it started on.

Every journey runs through the test client against a published service page, as
a resident meets it."""

import re

import pytest

from services.blocks.editor_form import EditorFormBlock
from services.blocks.transactions import STEP_FIELD, TRANSACTION_FIELD
from services.models import Case
from tests.factories.services import ServiceLandingPageFactory, ServicePageFactory
from tests.services.conftest import block_id, journey

pytestmark = pytest.mark.django_db


def q(kind, label, **extra):
    """A question as an editor saves it."""
    return (kind, {"label": label, "hint": "", "required": True, **extra})


def when(label, answer):
    return {"show_when": {"question": label, "answer": answer}}


def publish(page, service, questions):
    page.body = [
        (
            "form_service",
            {"service": service, "heading": "", "intro": "", "questions": questions},
        )
    ]
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def make_form(home_page, bin_service):
    landing = ServiceLandingPageFactory(parent=home_page, title="Forms", slug="forms")

    def make(questions, slug="form"):
        page = ServicePageFactory(parent=landing, title="A form", slug=slug, body=[])
        return publish(page, bin_service, questions)

    return make


def step_names(page) -> list[str]:
    block = next(b for b in page.body if b.block_type == "form_service")
    return [f"q-{question.id}" for question in block.value["questions"]]


def post(client, page, step, **data):
    return client.post(
        journey(page),
        {TRANSACTION_FIELD: block_id(page, "form_service"), STEP_FIELD: step, **data},
    )


def errors(response) -> str:
    html = response.content.decode()
    assert response.status_code == 200, response
    return re.findall(r'govuk-error-summary__list">\s*(.*?)</ul>', html, re.S)[0]


def send(client, page):
    check = client.get(journey(page) + "?step=check").content.decode()
    token = re.search(r'name="token" value="([0-9a-f-]+)"', check).group(1)
    response = post(client, page, "check", token=token)
    assert response.url.endswith("?step=done"), response.url
    return Case.objects.get()


# -- question types ------------------------------------------------------------------

NUMBER = q(
    "number", "How many bins do you need?", whole=True, minimum=1, maximum=5,
    error_name="Number of bins",
)  # fmt: skip
CASES = [
    (NUMBER, "", "Enter number of bins"),
    (NUMBER, "two", "Number of bins must be a number"),
    (NUMBER, "1.5", "Number of bins must be a whole number"),
    (NUMBER, "9", "Number of bins must be between 1 and 5"),
    (q("number", "Weight in kg", whole=False, minimum=0), "-1",
     "The answer must be 0 or more"),
    (q("number", "Weight in kg", whole=False, maximum=10), "10.5",
     "The answer must be 10 or less"),
    (q("email", "Your email"), "", "Enter an email address"),
    (q("email", "Your email"), "bob@",
     "Enter an email address in the correct format, like name@example.com"),
    (q("phone", "Your phone"), "", "Enter a telephone number"),
    (q("phone", "Your phone"), "12345",
     "Enter a telephone number, like 01632 960 001, 07700 900 982 or "
     "+44 808 157 0192"),
    (q("postcode", "Postcode"), "", "Enter a postcode"),
    (q("postcode", "Postcode"), "nonsense", "Enter a real postcode, like GU1 4AA"),
    (q("yes_no", "Is it blocking the road?"), "",
     "Select yes or no: Is it blocking the road?"),
    (q("yes_no", "Is it blocking the road?"), "Maybe", "Select yes or no"),
    (q("select", "Which library?", choices=["Central", "North"]), "",
     "Select an answer to: Which library?"),
    (q("select", "Which library?", choices=["Central", "North"]), "Moon",
     "Select one of the options"),
    (q("vehicle_registration", "Registration"), "",
     "Enter a vehicle registration number"),
    (q("vehicle_registration", "Registration"), "ABCDEFGH",
     "Enter a real vehicle registration number, like CU57 ABC"),
    (q("ni_number", "NI number"), "", "Enter a National Insurance number"),
    (q("ni_number", "NI number"), "QQ 12 34 56 C",
     "Enter a National Insurance number in the correct format"),
    (q("council_tax_account", "Account"), "",
     "Enter your council tax account number"),
    (q("council_tax_account", "Account"), "1234",
     "Enter your 8 digit council tax account number"),
]  # fmt: skip


@pytest.mark.parametrize(("question", "typed", "message"), CASES)
def test_each_question_type_says_what_is_wrong(
    client, make_form, resident, question, typed, message
):
    page = make_form([question])
    client.force_login(resident)
    response = post(client, page, step_names(page)[0], answer=typed)
    assert message in errors(response)
    html = response.content.decode()
    assert "govuk-form-group--error" in html
    if typed and question[0] not in ("yes_no", "select"):  # typed, shown again
        assert f'value="{typed}"' in html
    assert not Case.objects.exists()


def test_answers_in_uk_formats_are_kept_in_their_standard_form(
    client, make_form, resident
):
    page = make_form(
        [
            NUMBER,
            q("number", "Weight in kg", whole=False),
            q("email", "Your email"),
            q("phone", "Your phone"),
            q("postcode", "Postcode"),
            q("yes_no", "Is it blocking the road?"),
            q("select", "Which library?", choices=["Central", "North"]),
            q("vehicle_registration", "Registration"),
            q("ni_number", "NI number"),
            q("council_tax_account", "Account"),
        ]
    )
    client.force_login(resident)
    typed = [
        "3", "2.50", "bob@example.com", "07700 900982", "gh12bb", "Yes", "North",
        "cu57abc", "ab 12 34 56 c", "1234 5678",
    ]  # fmt: skip
    for step, answer in zip(step_names(page), typed, strict=True):
        assert post(client, page, step, answer=answer).status_code == 302
    check = client.get(journey(page) + "?step=check").content.decode()
    for shown in ("GH1 2BB", "CU57 ABC", "AB 12 34 56 C", "07700 900982"):
        assert shown in check
    case = send(client, page)
    assert case.answers == {
        "How many bins do you need?": "3",
        "Weight in kg": "2.5",
        "Your email": "bob@example.com",
        "Your phone": "07700 900982",
        "Postcode": "GH1 2BB",
        "Is it blocking the road?": "Yes",
        "Which library?": "North",
        "Registration": "CU57 ABC",
        "NI number": "AB 12 34 56 C",
        "Account": "12345678",
    }


def test_a_select_question_is_a_dropdown_and_yes_no_are_radios(
    client, make_form, resident
):
    page = make_form(
        [
            q("select", "Which library?", choices=["Central", "North"]),
            q("yes_no", "Is it blocking the road?"),
        ]
    )
    client.force_login(resident)
    html = client.get(journey(page) + f"?step={step_names(page)[0]}").content.decode()
    assert '<select name="answer"' in html and "Choose an option" in html
    post(client, page, step_names(page)[0], answer="North")
    html = client.get(journey(page) + f"?step={step_names(page)[1]}").content.decode()
    assert "govuk-radios--inline" in html and 'type="radio" value="No"' in html


# -- add another ---------------------------------------------------------------------

PEOPLE = (
    "add_another",
    {
        "label": "Who lives at the property?",
        "hint": "",
        "item_name": "person",
        "item_name_plural": "people",
        "max_items": 2,
        "questions": [
            q("text", "Full name", long_answer=False, max_length=60),
            q("number", "Age", whole=True, minimum=0, maximum=130),
        ],
    },
)


def test_add_another_lists_items_and_removes_one_after_asking(
    client, make_form, resident
):
    page = make_form([PEOPLE, q("yes_no", "Anything else?")])
    client.force_login(resident)
    group, last = step_names(page)
    more = group + "-more"
    empty = post(client, page, group)
    assert "Enter an answer to: Full name" in errors(empty)
    assert "Enter an answer to: Age" in errors(empty)
    assert "The answer must be between 0 and 130" in errors(
        post(client, page, group, q1="Ann", q2="200")
    )
    assert post(client, page, group, q1="Ann", q2="40").url.endswith(f"?step={more}")
    listing = client.get(journey(page) + f"?step={more}").content.decode()
    assert "You have added 1 person" in listing and "Full name: Ann; Age: 40" in listing
    assert f"?step={more}&amp;remove=1" in listing
    assert "Select yes if you need to add another person" in errors(
        post(client, page, more)
    )
    assert post(client, page, more, more="Yes").url.endswith(f"?step={group}")
    assert (
        "Add another person"
        in client.get(journey(page) + f"?step={group}").content.decode()
    )
    post(client, page, group, q1="Bob", q2="7")
    listing = client.get(journey(page) + f"?step={more}").content.decode()
    assert "You have added 2 people" in listing
    # Two is this form's limit.
    assert "You can add up to 2 people. Select no to continue" in errors(
        post(client, page, more, more="Yes")
    )
    confirm = client.get(journey(page) + f"?step={more}&remove=1").content.decode()
    assert "Are you sure you want to remove person 1?" in confirm
    assert "Full name: Ann; Age: 40" in confirm
    kept = post(client, page, more, remove="1", confirm="No")
    assert kept.url.endswith(f"?step={more}")
    assert "You have added 2 people" in client.get(kept.url).content.decode()
    post(client, page, more, remove="1", confirm="Yes")
    listing = client.get(journey(page) + f"?step={more}").content.decode()
    assert "You have added 1 person" in listing and "Ann" not in listing
    assert post(client, page, more, more="No").url.endswith(f"?step={last}")
    post(client, page, last, answer="No")
    check = client.get(journey(page) + "?step=check").content.decode()
    assert "Person 1: Full name: Bob; Age: 7" in check
    assert f"?step={more}&amp;change=1" in check
    case = send(client, page)
    assert case.answers["Who lives at the property?"] == [
        {"Full name": "Bob", "Age": "7"}
    ]


def test_removing_the_last_item_asks_for_one_again(client, make_form, resident):
    page = make_form([PEOPLE])
    client.force_login(resident)
    [group] = step_names(page)
    post(client, page, group, q1="Ann", q2="40")
    response = post(client, page, group + "-more", remove="1", confirm="Yes")
    assert response.url.endswith(f"?step={group}")


# -- branching -----------------------------------------------------------------------

BRANCHING = [
    q("yes_no", "Is the bin damaged?"),
    q("text", "What is damaged?", long_answer=False, max_length=100,
      **when("Is the bin damaged?", "Yes")),
    q("select", "Which bin?", choices=["Black", "Garden"]),
    q("number", "How many garden bins?", whole=True,
      **when("Which bin?", "Garden")),
]  # fmt: skip


def test_the_route_follows_the_answers_and_drops_answers_off_it(
    client, make_form, resident
):
    page = make_form(BRANCHING)
    client.force_login(resident)
    damaged, what, which, how_many = step_names(page)
    assert post(client, page, damaged, answer="No").url.endswith(f"?step={which}")
    assert post(client, page, which, answer="Black").url.endswith("?step=check")
    check = client.get(journey(page) + "?step=check").content.decode()
    assert "What is damaged?" not in check and "How many garden bins?" not in check
    # Changing an answer brings its question into the route.
    assert post(client, page, damaged, answer="Yes").url.endswith(f"?step={what}")
    post(client, page, what, answer="The lid")
    assert post(client, page, which, answer="Garden").url.endswith(f"?step={how_many}")
    post(client, page, how_many, answer="2")
    check = client.get(journey(page) + "?step=check").content.decode()
    assert "The lid" in check and "How many garden bins?" in check
    # And back: the answers given on the way out are dropped.
    post(client, page, damaged, answer="No")
    post(client, page, which, answer="Black")
    check = client.get(journey(page) + "?step=check").content.decode()
    assert "The lid" not in check and "How many garden bins?" not in check
    case = send(client, page)
    assert case.answers == {"Is the bin damaged?": "No", "Which bin?": "Black"}


def test_a_question_off_the_route_cannot_be_answered(client, make_form, resident):
    page = make_form(BRANCHING)
    client.force_login(resident)
    damaged, what, which, _ = step_names(page)
    post(client, page, damaged, answer="No")
    forged = post(client, page, what, answer="sneaked in")
    assert forged.status_code == 302
    post(client, page, which, answer="Black")
    assert (
        "sneaked in" not in client.get(journey(page) + "?step=check").content.decode()
    )


def _clean(service, questions):
    block = EditorFormBlock()
    value = block.to_python(
        {"service": service.pk, "heading": "", "intro": "", "questions": [
            {"type": kind, "value": value} for kind, value in questions
        ]}
    )  # fmt: skip
    return block, value


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        (when("Is it a garden bin?", "Yes"), "No earlier question is labelled"),
        (when("Your name", "Ann"), "is not a choice, yes/no or select question"),
        (when("Is the bin damaged?", "Perhaps"),
         "“Perhaps” is not an answer to “Is the bin damaged?”. Use one of: Yes, No"),
    ],
)  # fmt: skip
def test_editors_are_told_when_a_condition_cannot_work(bin_service, condition, message):
    from wagtail.blocks.struct_block import StructBlockValidationError

    block, value = _clean(
        bin_service,
        [
            q("yes_no", "Is the bin damaged?"),
            q("text", "Your name", long_answer=False, max_length=50),
            q("text", "What is damaged?", long_answer=False, max_length=50,
              **condition),
        ]
    )  # fmt: skip
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(value)
    error = raised.value.block_errors["questions"].block_errors[2]
    assert message in str(error.block_errors["show_when"])


def test_a_condition_on_a_later_question_is_refused(bin_service):
    from wagtail.blocks.struct_block import StructBlockValidationError

    block, value = _clean(
        bin_service,
        [
            q("text", "What is damaged?", long_answer=False, max_length=50,
              **when("Is the bin damaged?", "Yes")),
            q("yes_no", "Is the bin damaged?"),
        ]
    )  # fmt: skip
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(value)
    assert "No earlier question is labelled" in str(
        raised.value.block_errors["questions"].block_errors[0].block_errors["show_when"]
    )
    block, value = _clean(bin_service, BRANCHING)
    assert block.clean(value)["questions"][3].value["show_when"]["answer"] == "Garden"


# -- versions ------------------------------------------------------------------------


def test_a_journey_finishes_the_version_it_started(client, make_form, resident):
    page = make_form(
        [
            q("text", "Your reference", long_answer=False, max_length=20),
            q("yes_no", "Is it urgent?"),
        ]
    )
    first_version = page.live_revision_id
    client.force_login(resident)
    first, second = step_names(page)
    post(client, page, first, answer="REF-1")
    # The editor republishes with the second question changed.
    block = page.body[0]
    block.value["questions"][1].value["label"] = "Is anyone in danger?"
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.live_revision_id != first_version
    html = client.get(journey(page) + f"?step={second}").content.decode()
    assert "Is it urgent?" in html and "Is anyone in danger?" not in html
    post(client, page, second, answer="Yes")
    case = send(client, page)
    assert case.answers == {"Your reference": "REF-1", "Is it urgent?": "Yes"}
    assert case.form_version == first_version
    # A journey started now meets the new version.
    post(client, page, first, answer="REF-2")
    html = client.get(journey(page) + f"?step={second}").content.decode()
    assert "Is anyone in danger?" in html


# -- cost --------------------------------------------------------------------------


def long_branching_form(count):
    """``count`` questions, every other one shown only after a yes; after a no,
    every yes/no question but the last two jumps over the next pair."""
    questions = []
    pairs = count // 2
    for n in range(pairs):
        jump = (
            {"go_to": {"answer": "No", "question": f"Question {n + 2}?"}}
            if n < pairs - 2
            else {}
        )
        questions.append(q("yes_no", f"Question {n}?", **jump))
        questions.append(
            q("number", f"How many {n}?", whole=True, **when(f"Question {n}?", "Yes"))
        )
    return questions


def test_a_step_costs_the_same_queries_on_a_long_branching_form(
    client, make_form, resident
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    client.force_login(resident)
    for size, slug in ((4, "short"), (30, "long")):
        page = make_form(long_branching_form(size), slug=slug)
        names = step_names(page)
        post(client, page, names[0], answer="Yes")
        post(client, page, names[1], answer="2")
        client.get(journey(page) + f"?step={names[2]}")  # caches warmed
        with CaptureQueriesContext(connection) as queries:
            response = client.get(journey(page) + f"?step={names[2]}")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 10, counts  # a step of a 30-question form


def test_an_answer_costs_the_same_few_queries_on_a_long_branching_form(
    client, make_form, resident
):
    """Posting an answer reads the page, the resident and their journey, and
    writes the journey once: the form's definition is not read again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    client.force_login(resident)
    for size, slug in ((4, "short"), (30, "long")):
        page = make_form(long_branching_form(size), slug=slug)
        names = step_names(page)
        post(client, page, names[0], answer="Yes")
        with CaptureQueriesContext(connection) as queries:
            response = post(client, page, names[1], answer="2")
        assert response.status_code == 302
        assert response.url.endswith(f"?step={names[2]}")
        # Where sessions live in the database (no Redis), reading the session is
        # one more query, the same for every request: not the form's.
        counts.append(
            sum("django_session" not in q["sql"] for q in queries.captured_queries)
        )
    assert counts[0] == counts[1], counts
    assert counts[1] <= 5, "\n".join(q["sql"][:70] for q in queries.captured_queries)


def test_a_change_to_the_service_reaches_a_journey_under_way(
    client, make_form, bin_service, django_capture_on_commit_callbacks
):
    """Steps use the form as this worker last read it until something is
    published or a service definition changes: a service closed to guests
    half-way through a guest's journey asks them to sign in at the next step."""
    page = make_form([q("text", "Your reference", long_answer=False, max_length=40),
                      q("text", "Your name", long_answer=False, max_length=40)])  # fmt: skip
    names = step_names(page)
    assert post(client, page, names[0], answer="REF-1").status_code == 302
    assert client.get(journey(page) + f"?step={names[1]}").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        bin_service.guest_allowed = False
        bin_service.save()
    from django.urls import reverse

    response = client.get(journey(page) + f"?step={names[1]}")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
