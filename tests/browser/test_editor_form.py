"""An editor-built form in headless Chromium, as a guest: every question type, its
error states (including the GOV.UK date errors and a virus), check your answers and
the confirmation pass axe-core WCAG 2.2 A/AA."""

import pytest
from selenium.webdriver.common.by import By

from services.integrations.clamav import EICAR
from services.models import Case
from tests.browser.journeys import (
    check,
    click_submit,
    fill_and_continue,
    publish_service_page,
    serve_default_site,
)
from tests.services.test_editor_form import QUESTIONS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def form_site(live_server, home_page, tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "case_uploads": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads")},
        },
    }
    from django.core.files.storage import storages

    storages._storages.pop("case_uploads", None)
    publish_service_page(
        home_page,
        team="Waste team",
        service={
            "name": "Damaged bin",
            "reference_prefix": "DMG",
            "case_type": "Damaged bin",
            "sla_days": 5,
        },
        landing=("Bins", "bins"),
        page=("Report a damaged bin", "damaged"),
        block=lambda service: (
            "form_service",
            {"service": service, "heading": "", "intro": "", "questions": QUESTIONS},
        ),
    )
    base = serve_default_site(live_server)
    yield f"{base}/bins/damaged/"
    storages._storages.pop("case_uploads", None)


def tick(browser, *indexes):
    boxes = browser.find_elements(By.CSS_SELECTOR, "main form input[type=checkbox]")
    for index in indexes:
        browser.execute_script("arguments[0].click()", boxes[index])


def test_editor_built_form_is_accessible_at_every_step_and_error(
    browser, form_site, tmp_path
):
    from PIL import Image

    picture = tmp_path / "bin.jpg"
    Image.new("RGB", (60, 40), (20, 90, 40)).save(picture, format="JPEG")
    infected = tmp_path / "letter.pdf"
    infected.write_bytes(b"%PDF-1.4\n" + EICAR + b"\n%%EOF\n")
    failures = {}
    browser.delete_all_cookies()
    browser.get(form_site)
    check(browser, "start", failures)
    browser.find_element(By.LINK_TEXT, "Start now").click()
    check(browser, "text", failures)
    fill_and_continue(browser)
    assert "Enter an answer to: Your reference" in browser.page_source
    check(browser, "text missing", failures)
    fill_and_continue(browser, {"answer": "BIN-1"})

    assert "Anything else?" in browser.page_source
    check(browser, "long text", failures)
    fill_and_continue(browser)

    check(browser, "radios", failures)
    fill_and_continue(browser)
    check(browser, "radios error", failures)
    fill_and_continue(browser, radio_index=1)

    assert "Select all that apply" in browser.page_source
    check(browser, "checkboxes", failures)
    fill_and_continue(browser)
    check(browser, "checkboxes error", failures)
    tick(browser, 0, 2)
    fill_and_continue(browser)

    assert "govuk-date-input" in browser.page_source
    check(browser, "date", failures)
    fill_and_continue(browser, {"answer_day": "31", "answer_year": "2025"})
    assert "must include a month" in browser.page_source
    check(browser, "date missing month", failures)
    fill_and_continue(
        browser, {"answer_day": "31", "answer_month": "2", "answer_year": "2025"}
    )
    assert "must be a real date" in browser.page_source
    check(browser, "date not real", failures)
    fill_and_continue(
        browser, {"answer_day": "3", "answer_month": "11", "answer_year": "2025"}
    )

    assert "Address line 1" in browser.page_source
    check(browser, "address", failures)
    fill_and_continue(browser, {"postcode": "nonsense"})
    check(browser, "address errors", failures)
    fill_and_continue(
        browser, {"line_1": "12 Mill Lane", "town": "Guildhall", "postcode": "GH1 2BB"}
    )

    assert "Photo of the damage" in browser.page_source
    check(browser, "file", failures)
    browser.find_element(By.NAME, "answer").send_keys(str(infected))
    fill_and_continue(browser)
    assert "contains a virus" in browser.page_source
    check(browser, "file with a virus", failures)
    browser.find_element(By.NAME, "answer").send_keys(str(picture))
    fill_and_continue(browser)

    assert "How can we contact you?" in browser.page_source
    fill_and_continue(browser, {"email": "guest@example.com"})
    assert "Check your answers" in browser.page_source
    assert (
        "Lid, Body" in browser.page_source and "3 November 2025" in browser.page_source
    )
    check(browser, "check answers", failures)
    click_submit(browser)
    case = Case.objects.get()
    assert case.reference in browser.page_source
    assert case.attachments.count() == 1
    check(browser, "confirmation", failures)
    assert failures == {}, failures
