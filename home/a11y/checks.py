"""Checks axe-core cannot make, scripted in the browser.

axe-core 4.14 covers about two dozen WCAG success criteria (its only WCAG 2.2 rule
is target size). These cover the rest that a machine can check reliably: one h1,
the skip link, reflow at 320 CSS pixels, a visible focus indicator that nothing
covers, no dragging without an alternative, accessible sign-in, and (in
``journeys``) keyboard-only completion and no redundant entry. Each returns
violations in the same shape as ``axe.run_axe``.
"""

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys


def press(driver, key) -> None:
    """A key press sent to whatever has focus, as a person would (not to an element
    Selenium chose, which would move focus first)."""
    ActionChains(driver).send_keys(key).perform()


def violation(rule, help, criteria, nodes=(), impact="serious") -> dict:
    return {
        "rule": rule,
        "source": "script",
        "help": help,
        "help_url": "",
        "impact": impact,
        "criteria": list(criteria),
        "nodes": [{"selector": s, "html": h[:500]} for s, h in nodes],
    }


def check_headings(driver) -> list[dict]:
    """Exactly one h1 (GOV.UK pattern; supports 1.3.1 and 2.4.6)."""
    h1s = driver.find_elements(By.TAG_NAME, "h1")
    if len(h1s) == 1:
        return []
    return [
        violation(
            "one-h1",
            f"A page has exactly one h1 (found {len(h1s)})",
            ["1.3.1", "2.4.6"],
            [("h1", h.get_attribute("outerHTML") or "") for h in h1s[:5]],
            impact="moderate",
        )
    ]


_MAX_BANNER_CONTROLS = 10
_IN_COOKIE_BANNER_JS = (
    "const el = document.activeElement;"
    "return !!(el && el.closest && el.closest('.govuk-cookie-banner'));"
)


def check_skip_link(driver) -> list[dict]:
    """The first Tab reaches a skip link, and following it moves focus to the main
    content (2.4.1 Bypass blocks).

    GOV.UK's cookie banner goes before the skip link (its guidance: straight after
    ``<body>``), so the banner's own controls are tabbed past first."""
    driver.execute_script(
        "document.activeElement && document.activeElement.blur();window.scrollTo(0, 0);"
    )
    press(driver, Keys.TAB)
    for _ in range(_MAX_BANNER_CONTROLS):
        if not driver.execute_script(_IN_COOKIE_BANNER_JS):
            break
        press(driver, Keys.TAB)
    first = driver.switch_to.active_element
    href = first.get_attribute("href") or ""
    if "#" not in href:
        return [
            violation(
                "skip-link",
                "The first element reached with Tab is a skip link to the main content",
                ["2.4.1"],
                [("first focusable", first.get_attribute("outerHTML") or "")],
            )
        ]
    target_id = href.rsplit("#", 1)[1]
    press(driver, Keys.ENTER)
    focused_id = driver.execute_script("return document.activeElement.id")
    if focused_id != target_id or not driver.find_elements(By.ID, target_id):
        return [
            violation(
                "skip-link",
                f"Following the skip link moves focus to #{target_id}"
                f" (focus went to {focused_id or 'nothing'})",
                ["2.4.1"],
                [("a.govuk-skip-link", first.get_attribute("outerHTML") or "")],
            )
        ]
    return []


_WIDE_ELEMENTS_JS = """
const width = document.documentElement.clientWidth, found = [];
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.right > width + 1 && found.length < 5) {
    found.push({selector: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : ''),
      html: el.outerHTML.slice(0, 300)});
  }
}
return found;
"""

# Focus every focusable element in turn and report those whose focus is not shown
# (no outline, no box shadow, no change of background: 2.4.7) or whose centre and
# corners are all covered by another element, such as a sticky banner (2.4.11).
_FOCUS_JS = """
const selector = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]),'
  + ' select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
const results = {checked: 0, invisible: [], obscured: []};
const describe = el => ({selector: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
  + (el.name ? '[name="' + el.name + '"]' : ''), html: el.outerHTML.slice(0, 300)});
const visible = el => {
  const r = el.getBoundingClientRect(), s = getComputedStyle(el);
  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
};
const focusStyle = s => [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow,
  s.backgroundColor, s.color, s.textDecorationThickness, s.borderColor].join('|');
const all = Array.from(document.querySelectorAll(selector)).filter(visible);
for (const el of all.slice(0, 150)) {
  if (el.closest('.wagtail-userbar, wagtail-userbar')) continue;
  el.blur();
  const before = focusStyle(getComputedStyle(el));
  el.focus({focusVisible: true});
  if (document.activeElement !== el) continue;
  results.checked++;
  el.scrollIntoView({block: 'center'});
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
    && !/rgba\\(.*, 0\\)$/.test(s.outlineColor) && s.outlineColor !== 'transparent';
  const changed = focusStyle(s) !== before;
  if (!outline && !changed && s.boxShadow === 'none') results.invisible.push(describe(el));
  const r = el.getBoundingClientRect();
  const points = [[r.left + r.width / 2, r.top + r.height / 2], [r.left + 2, r.top + 2],
                  [r.right - 2, r.top + 2], [r.left + 2, r.bottom - 2], [r.right - 2, r.bottom - 2]];
  const seen = points.some(([x, y]) => {
    const hit = document.elementFromPoint(x, y);
    return hit && (hit === el || el.contains(hit) || hit.contains(el)
      || (el.labels && Array.from(el.labels).some(l => l.contains(hit))));
  });
  if (!seen) results.obscured.push(describe(el));
  el.blur();
}
window.scrollTo(0, 0);
return results;
"""


def check_focus(driver) -> tuple[list[dict], int]:
    """Every focusable element shows its focus and is not hidden when focused.
    Returns the violations and how many elements were checked."""
    results = driver.execute_script(_FOCUS_JS)
    found = []
    if results["invisible"]:
        found.append(
            violation(
                "focus-visible",
                "Every focusable element shows a visible focus indicator",
                ["2.4.7"],
                [(n["selector"], n["html"]) for n in results["invisible"]],
            )
        )
    if results["obscured"]:
        found.append(
            violation(
                "focus-not-obscured",
                "A focused element is not entirely hidden by other content, such as a "
                "sticky banner or cookie notice",
                ["2.4.11"],
                [(n["selector"], n["html"]) for n in results["obscured"]],
            )
        )
    return found, results["checked"]


def check_dragging(driver) -> list[dict]:
    """Anything that can be dragged (a map pin) has an equal single-pointer or
    keyboard alternative in the same form (2.5.7 Dragging movements).

    The contract for journeys: a map (``.leaflet-container`` or ``[data-map]``)
    sits in a form that also holds a field marked ``data-map-alternative`` (an
    address, or a street and landmark), and draggable elements need the same.
    """
    missing = driver.execute_script(
        """
        const found = [];
        const draggables = document.querySelectorAll(
          '.leaflet-container, [data-map], [draggable=true], .leaflet-marker-draggable');
        for (const el of draggables) {
          const scope = el.closest('form') || document;
          if (!scope.querySelector('[data-map-alternative]')) {
            found.push({selector: el.tagName.toLowerCase() + (el.id ? '#' + el.id : ''),
                        html: el.outerHTML.slice(0, 300)});
          }
        }
        return found;
        """
    )
    if not missing:
        return []
    return [
        violation(
            "dragging-alternative",
            "Whatever can be dragged (such as a map pin) has an equal alternative that "
            "needs no dragging",
            ["2.5.7"],
            [(n["selector"], n["html"]) for n in missing],
        )
    ]


def check_sign_in(driver) -> list[dict]:
    """Sign-in allows pasting and password managers and has no puzzle (3.3.8).

    Applies to any page with a password field: the field must accept a paste
    (no handler cancels it), say what it is for in ``autocomplete`` so password
    managers fill it, and the page must not hold a CAPTCHA.
    """
    result = driver.execute_script(
        """
        const problems = [];
        for (const field of document.querySelectorAll('input[type=password]')) {
          const event = new ClipboardEvent('paste', {bubbles: true, cancelable: true,
            clipboardData: new DataTransfer()});
          field.dispatchEvent(event);
          const describe = field.outerHTML.slice(0, 300);
          if (event.defaultPrevented) problems.push(['paste blocked', describe]);
          const ac = (field.getAttribute('autocomplete') || '').trim();
          if (!['current-password', 'new-password'].includes(ac))
            problems.push(['no password autocomplete', describe]);
        }
        if (document.querySelector('iframe[src*=captcha], .g-recaptcha, .h-captcha, [data-captcha]'))
          problems.push(['captcha', 'a CAPTCHA on the page']);
        return problems;
        """
    )
    if not result:
        return []
    return [
        violation(
            "accessible-authentication",
            "Signing in allows pasting and password managers, and needs no puzzle "
            "(" + ", ".join(sorted({p[0] for p in result})) + ")",
            ["3.3.8"],
            [("input[type=password]", html) for _, html in result],
        )
    ]


def check_reflow_in_place(driver) -> list[dict]:
    """Reflow at 320 CSS pixels by resizing the window over the current page, so
    journey states (answers to a POST) are checked without resubmitting."""
    size = driver.get_window_size()
    driver.set_window_size(320, 800)
    try:
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth"
            " - document.documentElement.clientWidth"
        )
        culprits = driver.execute_script(_WIDE_ELEMENTS_JS) if overflow > 0 else []
    finally:
        driver.set_window_size(size["width"], size["height"])
    if overflow <= 0:
        return []
    return [
        violation(
            "reflow",
            f"The page scrolls sideways by {overflow}px at 320 CSS pixels wide",
            ["1.4.10"],
            [(c["selector"], c["html"]) for c in culprits],
        )
    ]
