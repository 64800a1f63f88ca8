"""The form builder end to end in headless Chromium: a service designer signs in,
creates a service definition from a workflow template, builds a branching form of
several question types on a service page in the page editor and submits it for
moderation; once approved, a resident completes it with the keyboard alone. Every
step, error state and check your answers pass axe-core WCAG 2.2 A/AA."""

from django.contrib.auth.models import Group

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from services.models import Case, ServiceDefinition
from tests.browser.journeys import check, left_behind, serve_default_site
from tests.browser.test_editor_preview import PASSWORD, sign_in
from tests.factories.services import ServiceLandingPageFactory, ServicePageFactory
from tests.myaccount.factories import with_two_factor

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def designer_site(live_server, home_page, django_user_model):
    from allauth.account.models import EmailAddress

    Group.objects.create(name="Garden waste team")
    landing = ServiceLandingPageFactory(parent=home_page, title="Bins", slug="bins")
    page = ServicePageFactory(
        parent=landing, title="Garden waste bins", slug="garden", body=[]
    )
    page.save_revision().publish()
    designer = django_user_model.objects.create_user(
        "designer", "designer@example.com", PASSWORD
    )
    designer.groups.add(Group.objects.get(name="Service designers"))
    EmailAddress.objects.create(
        user=designer, email=designer.email, verified=True, primary=True
    )
    return {
        "base": serve_default_site(live_server),
        "page": page,
        "secret": with_two_factor(designer),
    }


def js_click(browser, element):
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    browser.execute_script("arguments[0].click()", element)


def wait_for(browser, css, within=None):
    scope = within or browser
    WebDriverWait(browser, 15).until(
        lambda _b: scope.find_elements(By.CSS_SELECTOR, css)
    )
    return scope.find_elements(By.CSS_SELECTOR, css)


def pick(browser, text):
    """Choose a block type in the editor's block picker."""
    for option in wait_for(browser, "[role=option]"):
        if option.text.strip() == text:
            js_click(browser, option)
            return
    raise AssertionError(f"no block type {text!r} offered")


def type_into(browser, name, value):
    field = wait_for(browser, f"[name='{name}']")[0]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", field)
    field.clear()
    field.send_keys(value)


def add_question(browser, index, kind, fields):
    container = browser.find_element(By.CSS_SELECTOR, "[data-contentpath=questions]")
    adds = container.find_elements(By.CSS_SELECTOR, "button.c-sf-add-button")
    js_click(browser, adds[-1])
    pick(browser, kind)
    prefix = f"body-0-value-questions-{index}-value"
    wait_for(browser, f"[name='{prefix}-label']")
    for name, value in fields.items():
        type_into(browser, f"{prefix}-{name}", value)


def build_service_and_form(browser, base, page):
    browser.get(base + "/admin/snippets/services/servicedefinition/add/")
    form = browser.find_element(By.CSS_SELECTOR, "form[action$='/add/']")
    for name, value in {
        "name": "Garden waste bin",
        "reference_prefix": "GDN",
        "case_type": "Garden waste bin",
        "sla_days": "5",
        "confirmation_email_text": "We deliver bins within 10 working days.",
    }.items():
        type_into(browser, name, value)
    browser.execute_script(
        "const s = document.querySelector('[name=team]');"
        "s.value = [...s.options].find(o => o.text === 'Garden waste team').value;"
        "document.querySelector('[name=workflow_template]').value = 'application';"
        "document.querySelector('[name=guest_allowed]').checked = true;"
    )
    js_click(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    WebDriverWait(browser, 15).until(left_behind(form))
    assert ServiceDefinition.objects.filter(reference_prefix="GDN").exists(), (
        browser.page_source[:3000]
    )

    browser.get(f"{base}/admin/pages/{page.pk}/edit/")
    js_click(browser, wait_for(browser, "button.c-sf-add-button")[0])
    pick(browser, "Form service (built by editors)")
    # The chooser's modal answers a click only once its script has bound the
    # choices: on a busy machine the first click can land before that, so choose
    # again until the block holds the service.
    for _attempt in range(5):
        chooser = wait_for(
            browser,
            "[data-contentpath=service] .unchosen [data-chooser-action-choose]",
        )[0]
        js_click(browser, chooser)
        for link in wait_for(browser, ".modal a[data-chooser-modal-choice]"):
            if link.text.strip() == "Garden waste bin":
                js_click(browser, link)
                break
        try:
            WebDriverWait(browser, 15).until(
                lambda b: b.find_element(By.NAME, "body-0-value-service").get_attribute(
                    "value"
                )
            )
            break
        except TimeoutException:
            browser.execute_script(
                "document.querySelectorAll('.modal').forEach(m => m.remove());"
                "document.querySelectorAll('.modal-backdrop').forEach(m => m.remove());"
            )
    assert browser.find_element(By.NAME, "body-0-value-service").get_attribute("value")
    add_question(browser, 0, "Yes or no", {"label": "Do you already have a bin?"})
    add_question(
        browser,
        1,
        "Number",
        {
            "label": "How many extra bins do you need?",
            "minimum": "1",
            "maximum": "3",
            "error_name": "Number of bins",
            "show_when-question": "Do you already have a bin?",
            "show_when-answer": "Yes",
        },
    )
    add_question(browser, 2, "UK postcode", {"label": "What is your postcode?"})
    add_question(
        browser, 3, "Vehicle registration", {"label": "Which car will collect it?"}
    )
    submit = browser.find_element(By.CSS_SELECTOR, "[name=action-submit]")
    form = browser.find_element(By.CSS_SELECTOR, "form#page-edit-form")
    js_click(browser, submit)
    WebDriverWait(browser, 20).until(left_behind(form))


def approve(page, django_user_model):
    page.refresh_from_db()
    task_state = page.current_workflow_state.current_task_state
    moderator = django_user_model.objects.create_superuser(
        "moderator", "moderator@example.com", "pw-moderator-123"
    )
    task_state.task.specific.on_action(task_state, moderator, "approve")


def keyboard_continue(browser, field=None):
    form = browser.find_element(By.CSS_SELECTOR, "main form")
    target = field or form.find_element(By.CSS_SELECTOR, "button[type=submit]")
    target.send_keys(Keys.ENTER)
    WebDriverWait(browser, 15).until(left_behind(form))


def answer_text(browser, value):
    field = browser.find_element(By.CSS_SELECTOR, "main form input[name=answer]")
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(value)
    keyboard_continue(browser, field)


def answer_radio(browser, label):
    radio = browser.find_element(
        By.CSS_SELECTOR, f"main form input[type=radio][value='{label}']"
    )
    radio.send_keys(Keys.SPACE)
    keyboard_continue(browser, radio)


def test_a_service_designer_builds_a_form_and_a_resident_completes_it(
    browser, designer_site, django_user_model
):
    base, page = designer_site["base"], designer_site["page"]
    sign_in(browser, base, "designer@example.com", designer_site["secret"])
    build_service_and_form(browser, base, page)
    page.refresh_from_db()
    assert page.current_workflow_state is not None, "not submitted for moderation"
    approve(page, django_user_model)
    page.refresh_from_db()
    assert [b.block_type for b in page.body] == ["form_service"]

    failures = {}
    browser.delete_all_cookies()
    browser.get(base + "/bins/garden/")
    check(browser, "start", failures)
    start = browser.find_element(By.LINK_TEXT, "Start now")
    start.send_keys(Keys.ENTER)
    WebDriverWait(browser, 15).until(left_behind(start))

    assert "Do you already have a bin?" in browser.page_source
    check(browser, "yes or no", failures)
    keyboard_continue(browser)
    assert "Select yes or no" in browser.page_source
    check(browser, "yes or no error", failures)
    answer_radio(browser, "Yes")

    assert "How many extra bins do you need?" in browser.page_source
    check(browser, "number", failures)
    answer_text(browser, "7")
    assert "Number of bins must be between 1 and 3" in browser.page_source
    check(browser, "number error", failures)
    answer_text(browser, "2")

    assert "What is your postcode?" in browser.page_source
    check(browser, "postcode", failures)
    answer_text(browser, "nonsense")
    assert "Enter a real postcode, like GU1 4AA" in browser.page_source
    check(browser, "postcode error", failures)
    answer_text(browser, "gh12bb")

    assert "Which car will collect it?" in browser.page_source
    check(browser, "vehicle registration", failures)
    answer_text(browser, "cu57abc")

    assert "How can we contact you?" in browser.page_source
    email = browser.find_element(By.NAME, "email")
    email.send_keys("guest@example.com")
    keyboard_continue(browser, email)
    assert "Check your answers" in browser.page_source
    for shown in ("GH1 2BB", "CU57 ABC", "How many extra bins do you need?"):
        assert shown in browser.page_source
    check(browser, "check answers", failures)
    keyboard_continue(browser)
    case = Case.objects.get()
    assert case.reference.startswith("GDN") and case.reference in browser.page_source
    assert case.answers == {
        "Do you already have a bin?": "Yes",
        "How many extra bins do you need?": "2",
        "What is your postcode?": "GH1 2BB",
        "Which car will collect it?": "CU57 ABC",
    }
    assert case.form_version == page.live_revision_id
    check(browser, "confirmation", failures)
    assert failures == {}, failures


@pytest.fixture
def people_form(live_server, home_page):
    from tests.browser.journeys import publish_service_page
    from tests.services.test_form_builder import PEOPLE

    publish_service_page(
        home_page,
        team="Council tax team",
        service={
            "name": "Single person discount",
            "reference_prefix": "SPD",
            "case_type": "Single person discount",
            "sla_days": 10,
        },
        landing=("Council tax", "council-tax"),
        page=("Who lives with you", "people"),
        block=lambda service: (
            "form_service",
            {"service": service, "heading": "", "intro": "", "questions": [PEOPLE]},
        ),
    )
    return serve_default_site(live_server) + "/council-tax/people/"


def test_add_another_is_accessible_when_listing_removing_and_in_error(
    browser, people_form
):
    failures = {}
    browser.delete_all_cookies()
    browser.get(people_form)
    start = browser.find_element(By.LINK_TEXT, "Start now")
    start.send_keys(Keys.ENTER)
    WebDriverWait(browser, 15).until(left_behind(start))
    check(browser, "item", failures)
    keyboard_continue(browser)
    assert "Enter an answer to: Full name" in browser.page_source
    check(browser, "item errors", failures)
    name = browser.find_element(By.NAME, "q1")
    name.send_keys("Ann")
    browser.find_element(By.NAME, "q2").send_keys("40")
    keyboard_continue(browser, name)
    assert "You have added 1 person" in browser.page_source
    check(browser, "list", failures)
    keyboard_continue(browser)
    assert "Select yes if you need to add another person" in browser.page_source
    check(browser, "list error", failures)
    remove = browser.find_element(By.PARTIAL_LINK_TEXT, "Remove")
    remove.send_keys(Keys.ENTER)
    WebDriverWait(browser, 15).until(left_behind(remove))
    assert "Are you sure you want to remove person 1?" in browser.page_source
    check(browser, "remove", failures)
    answer_radio(browser, "No")
    answer_radio(browser, "No")
    email = browser.find_element(By.NAME, "email")
    email.send_keys("guest@example.com")
    keyboard_continue(browser, email)
    assert "Person 1: Full name: Ann; Age: 40" in browser.page_source
    check(browser, "check answers", failures)
    assert failures == {}, failures
