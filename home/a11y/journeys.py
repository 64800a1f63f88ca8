"""Journeys the audit walks, step by step, by keyboard alone.

Apps register journeys with the ``register_accessibility_journeys`` Wagtail hook: a
function returning a list of ``Journey``. Each step fills fields by pressing Tab
until the field has focus and typing (arrow keys for radios, Space for
checkboxes), then Tabs to the submit button and presses Enter: a journey that can
be driven this way can be completed without a mouse (2.1.1). Every state reached
(the first page, each error state, the check-answers and confirmation pages) is
checked like any other page, and a field answered earlier in the journey that is
shown empty again is reported (3.3.7 Redundant entry).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from wagtail import hooks

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from home.a11y.checks import press, violation

MAX_TABS = 250


@dataclass
class Field:
    name: str
    value: str


@dataclass
class Step:
    """One submission: fill ``fields`` and press the submit button.

    ``expect`` is text the resulting page must show (e.g. "There is a problem");
    ``submit`` optionally picks the button by its visible text.
    """

    title: str
    fields: list[Field] = field(default_factory=list)
    expect: str = ""
    submit: str = ""
    # CSS selector of the form to submit when the page has several.
    form: str = ""


@dataclass
class Journey:
    name: str
    # The path to start from on the given site (``None``: not available there).
    start: Callable[[object], str | None]
    steps: list[Step]
    # Demo username to sign in as first (My Account journeys); ``None`` for guests.
    user: str | None = None
    sign_in: Callable[[object, str], None] | None = None


def registered_journeys() -> list[Journey]:
    journeys = []
    for fn in hooks.get_hooks("register_accessibility_journeys"):
        journeys.extend(fn())
    return journeys


class KeyboardError(Exception):
    """A journey could not be driven by keyboard."""


def _active(driver):
    return driver.switch_to.active_element


def _matches(element, name: str) -> bool:
    return (element.get_attribute("name") or "") == name


def tab_to(driver, predicate, what: str):
    """Press Tab until ``predicate(active_element)``; the element, or KeyboardError."""
    for _ in range(MAX_TABS):
        press(driver, Keys.TAB)
        element = _active(driver)
        if predicate(element):
            return element
    raise KeyboardError(f"could not reach {what} with the Tab key")


def fill(driver, item: Field) -> None:
    element = tab_to(
        driver, lambda e: _matches(e, item.name), f"the field '{item.name}'"
    )
    kind = (element.get_attribute("type") or element.tag_name).lower()
    if kind == "radio":
        for _ in range(20):
            if element.get_attribute("value") == item.value:
                if not element.is_selected():
                    element.send_keys(Keys.SPACE)
                return
            element.send_keys(Keys.ARROW_DOWN)
            element = _active(driver)
        raise KeyboardError(f"no option '{item.value}' for '{item.name}'")
    if kind == "checkbox":
        while element.get_attribute("value") != item.value:
            element = tab_to(
                driver, lambda e: _matches(e, item.name), f"'{item.name}={item.value}'"
            )
        if not element.is_selected():
            element.send_keys(Keys.SPACE)
        return
    if element.tag_name.lower() == "select":
        text = driver.execute_script(
            "const o = Array.from(arguments[0].options).find(o => o.value === arguments[1]);"
            "return o ? o.text : null;",
            element,
            item.value,
        )
        if text is None:
            raise KeyboardError(f"no option '{item.value}' for '{item.name}'")
        element.send_keys(text)
        return
    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(Keys.DELETE)
    element.send_keys(item.value)


def submit(driver, step: Step, form_element=None) -> None:
    """Tab to the submit button (of the form just filled) and press Enter."""

    def is_button(e):
        if e.tag_name.lower() not in ("button", "input"):
            return False
        if (e.get_attribute("type") or "submit").lower() != "submit":
            return False
        if step.submit and step.submit not in (
            e.text or e.get_attribute("value") or ""
        ):
            return False
        if form_element is not None:
            return driver.execute_script(
                "return arguments[0].form === arguments[1]", e, form_element
            )
        return True

    button = tab_to(driver, is_button, f"the '{step.submit or 'submit'}' button")
    driver.execute_script("window.__auditNavigation = true")
    button.send_keys(Keys.ENTER)
    WebDriverWait(driver, 20).until(
        lambda d: d.execute_script(
            "return window.__auditNavigation === undefined"
            " && document.readyState === 'complete'"
        )
    )


def answered_fields_shown_empty(driver, answered: dict[str, str]) -> list[dict]:
    """Fields answered earlier in the journey, asked again with nothing in them."""
    if not answered:
        return []
    empties = driver.execute_script(
        """
        const answered = arguments[0], found = [];
        for (const el of document.querySelectorAll('input, textarea, select')) {
          if (!(el.name in answered)) continue;
          if (['password', 'file', 'hidden'].includes(el.type)) continue;
          if (el.type === 'radio' || el.type === 'checkbox') {
            const group = document.querySelectorAll(`[name="${CSS.escape(el.name)}"]`);
            if (Array.from(group).some(g => g.checked)) continue;
          } else if (el.value) continue;
          found.push([el.name, el.outerHTML.slice(0, 300)]);
        }
        return found;
        """,
        answered,
    )
    if not empties:
        return []
    return [
        violation(
            "redundant-entry",
            "Information already given in this journey is not asked for again "
            "(fields: " + ", ".join(sorted({name for name, _ in empties})) + ")",
            ["3.3.7"],
            [(f'[name="{name}"]', html) for name, html in empties],
        )
    ]


def form_for(driver, step: Step):
    """The form a step submits: the one named by ``step.form``, else the form of
    its first field."""
    if step.form:
        found = driver.find_elements(By.CSS_SELECTOR, step.form)
        if found:
            return found[0]
        raise KeyboardError(f"no form matches {step.form}")
    if step.fields:
        return form_of(driver, step.fields[0].name)
    return None


def form_of(driver, name: str):
    elements = driver.find_elements(By.NAME, name)
    if not elements:
        return None
    return driver.execute_script("return arguments[0].form", elements[0])


def keyboard_violation(journey: Journey, step: Step, error: Exception) -> dict:
    return violation(
        "keyboard",
        f"'{journey.name}' cannot be completed by keyboard at '{step.title}': {error}",
        ["2.1.1"],
    )


def unexpected_page_violation(journey: Journey, step: Step) -> dict:
    return violation(
        "journey-step",
        f"'{journey.name}': after '{step.title}' the page does not show "
        f"'{step.expect}'",
        [],
        impact="critical",
    )


def site_journeys():
    """Journeys every council site has: page feedback, with its error state."""
    return [
        Journey(
            name="Page feedback",
            start=_first_page_with_feedback,
            steps=[
                Step(
                    "nothing chosen (error)",
                    [],
                    expect="There is a problem",
                    form="form[action$='/feedback/']",
                ),
                Step(
                    "answer sent",
                    [
                        Field("useful", "no"),
                        Field("comment", "The opening times were hard to find"),
                    ],
                    expect="Thank you for your feedback",
                ),
            ],
        )
    ]


def _first_page_with_feedback(site) -> str | None:
    """The site's first live page below its home page that asks for feedback."""
    from wagtail.models import Page

    for page in (
        Page.objects.live()
        .public()
        .child_of(site.root_page)
        .order_by("path")
        .specific()[:20]
    ):
        if getattr(page, "show_feedback", False):
            return page.get_url_parts()[2]
    return None
