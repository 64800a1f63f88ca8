"""Residents' behaviour through the whole stack, for Locust (tests/load/run.py).

Two kinds of simulated resident:

- ``Browser`` (most of them): opens the home page, pages from the sitemap and the
  search, with a pause between pages as a person reading would.
- ``Reporter``: completes a journey from its service page to the confirmation:
  report a missed bin collection, or report a problem in the street. The
  resident follows what the page offers, as a person without JavaScript would:
  a "Start now" link, then each step's form, filled from what the form asks
  (a postcode, the first address, the first radio, a description, an email
  address) and sent, until the confirmation panel shows a reference, or the
  street problem is one already reported and the resident follows that report.

Each step is one request name in Locust's figures ("missed bin: step 3"), so
the 95th percentile per step is printed. A journey that ends without a reference
(an error summary, a page without a form) is a failure named after where it
stopped. Every completed journey's reference is written to ``LOAD_REFERENCES``
(one per line) so the runner can compare it with the cases in the database.
"""

from __future__ import annotations

import os
import random
import re
import threading
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from locust import HttpUser, between, events, task

JOURNEYS = {
    "missed bin": os.environ.get(
        "LOAD_MISSED_BIN", "/bins-recycling-and-waste/report-a-missed-bin-collection/"
    ),
    "street problem": os.environ.get(
        "LOAD_STREET_PROBLEM", "/roads-and-pavements/report-a-pothole/"
    ),
}
# A street problem someone already reported: the resident chose to follow that
# report, and no case is opened (a journey that ends well without a reference).
ALREADY_REPORTED = "We have not recorded a request."
SEARCHES = ["bins", "council tax", "parking permit", "library", "pothole", "planning"]
REFERENCES = os.environ.get("LOAD_REFERENCES", "var/load/references.txt")
_lock = threading.Lock()
_sitemap: list[str] = []


class FormParser(HTMLParser):
    """The forms of a page (inputs, selects, textareas, submit buttons), the
    "Start now" links, and whether it shows an error summary or a confirmation
    panel with its reference."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.start_links: list[str] = []
        self.errors = False
        self.error_text = ""
        self._in_errors = False
        self.confirmation = False
        self.reference = ""
        self._in_form = None
        self._select = None
        self._textarea = None
        self._panel_body = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = a.get("class", "") or ""
        if tag == "form":
            self._in_form = {
                "action": a.get("action", ""),
                "method": (a.get("method") or "get").lower(),
                "fields": [],
            }
            self.forms.append(self._in_form)
        elif tag == "a" and "govuk-button--start" in classes:
            self.start_links.append(a.get("href", ""))
        elif "govuk-error-summary" in classes.split():
            self.errors = True
        elif "govuk-error-summary__list" in classes:
            self._in_errors = True
        elif "govuk-panel--confirmation" in classes:
            self.confirmation = True
        elif "govuk-panel__body" in classes:
            self._panel_body = True
        if self._in_form is None:
            return
        if tag == "input":
            self._in_form["fields"].append(
                {
                    "tag": "input",
                    "type": (a.get("type") or "text").lower(),
                    "name": a.get("name"),
                    "value": a.get("value", ""),
                    "checked": "checked" in a,
                }
            )
        elif tag == "button" and a.get("name"):
            self._in_form["fields"].append(
                {
                    "tag": "button",
                    "type": "submit",
                    "name": a["name"],
                    "value": a.get("value", ""),
                }
            )
        elif tag == "select":
            self._select = {"tag": "select", "name": a.get("name"), "options": []}
            self._in_form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = {"tag": "textarea", "name": a.get("name"), "value": ""}
            self._in_form["fields"].append(self._textarea)

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "div":
            self._panel_body = False
        elif tag == "ul":
            self._in_errors = False

    def handle_data(self, data):
        if self._in_errors and data.strip():
            self.error_text += data.strip() + " "
        if self._textarea is not None:
            self._textarea["value"] += data
        if self._panel_body and not self.reference:
            found = re.search(r"\b[A-Z]{2,6}(?:-\d+)+\b", data)
            if found:
                self.reference = found.group(0)


def parse(html: str) -> FormParser:
    parser = FormParser()
    parser.feed(html)
    return parser


def answer_for(name: str, kind: str, n: int) -> str:
    """What a resident types into a field called ``name``."""
    lowered = name.lower()
    if "postcode" in lowered:
        return "GU1 4AA"
    if "email" in lowered or kind == "email":
        return f"load.resident.{n}@example.com"
    if "phone" in lowered or kind == "tel":
        return "01632 960001"
    if "name" in lowered:
        return "Sam Load"
    if "street" in lowered:
        return "High Street"
    if lowered.endswith("_day"):
        return "1"
    if lowered.endswith("_month"):
        return "6"
    if lowered.endswith("_year"):
        return "2026"
    return "Left by the gate since Monday morning"


def journey_form(page: FormParser, service_path: str) -> dict | None:
    """The step's form: a POST form to the service page or below it (every page
    also has forms of its own: the cookie banner, "Is this page useful?", an
    alert's "Hide")."""
    for form in page.forms:
        if form["method"] != "post":
            continue
        if urlsplit(form["action"]).path.startswith(service_path):
            return form
    return None


def fill(form: dict, n: int) -> dict[str, str]:
    data: dict[str, str] = {}
    radios: dict[str, list[str]] = {}
    for field in form["fields"]:
        name = field.get("name")
        if not name:
            continue
        kind = field.get("type", "")
        if field["tag"] == "select":
            options = [o for o in field["options"] if o]
            if options:
                data[name] = options[0]
        elif field["tag"] == "textarea":
            data[name] = field["value"].strip() or answer_for(name, "textarea", n)
        elif kind == "hidden":
            data[name] = field["value"]
        elif kind == "radio":
            # Any option (residents differ: streets, categories, "follow the
            # existing report" or not), never "none of these".
            if field["value"] != "none":
                radios.setdefault(name, [])
                radios[name].append(field["value"])
        elif kind == "checkbox":
            if name not in data:
                data[name] = field["value"]
        elif kind in ("text", "email", "tel", "number", "search"):
            data[name] = field["value"] or answer_for(name, kind, n)
        elif kind == "submit" and field["tag"] == "button":
            continue
    for name, values in radios.items():
        data[name] = random.choice(values)
    return data


class Browser(HttpUser):
    weight = 10
    wait_time = between(1, 5)

    def on_start(self):
        global _sitemap
        with _lock:
            if not _sitemap:
                response = self.client.get("/sitemap.xml", name="sitemap")
                _sitemap = [
                    urlsplit(u).path
                    for u in re.findall(r"<loc>([^<]+)</loc>", response.text)
                ]

    @task(5)
    def page(self):
        path = random.choice(_sitemap) if _sitemap else "/"
        self.client.get(path, name="page (from the sitemap)")

    @task(2)
    def home(self):
        self.client.get("/", name="home page")

    @task(2)
    def search(self):
        self.client.get(
            "/search/", params={"q": random.choice(SEARCHES)}, name="search"
        )


class Reporter(HttpUser):
    fixed_count = int(os.environ.get("LOAD_REPORTERS", "50"))
    wait_time = between(2, 6)
    max_steps = 12

    @task
    def report(self):
        kind = random.choice(list(JOURNEYS))
        self.client.cookies.clear()
        self.complete(kind, JOURNEYS[kind])

    def complete(self, kind: str, url: str) -> None:
        n = random.randrange(10**9)
        response = self.client.get(url, name=f"{kind}: service page")
        for step in range(1, self.max_steps + 1):
            page = parse(response.text)
            if page.confirmation:
                if not page.reference:
                    self.fail(kind, "confirmation without a reference")
                    return
                with _lock, open(REFERENCES, "a") as out:
                    out.write(page.reference + "\n")
                self.journey_event(f"{kind}: completed")
                return
            if ALREADY_REPORTED in response.text:
                self.journey_event(f"{kind}: already reported, no case")
                return
            if page.errors:
                self.fail(kind, f"at step {step}: {page.error_text.strip()[:80]}")
                return
            form = journey_form(page, urlsplit(url).path)
            if form is None and page.start_links:
                response = self.client.get(
                    urljoin(response.url, page.start_links[0]), name=f"{kind}: start"
                )
                continue
            if form is None:
                title = re.search(r"<title>([^<]*)</title>", response.text)
                self.fail(
                    kind,
                    f"no form at step {step}: {title.group(1).strip() if title else ''}",
                )
                return
            action = urljoin(response.url, form["action"] or response.url)
            response = self.client.post(
                action, data=fill(form, n), name=f"{kind}: step {step}"
            )
        self.fail(kind, f"no confirmation after {self.max_steps} steps")

    def journey_event(self, name: str, exception=None) -> None:
        events.request.fire(
            request_type="JOURNEY",
            name=name,
            response_time=0,
            response_length=0,
            exception=exception,
            context={},
        )

    def fail(self, kind: str, why: str) -> None:
        self.journey_event(f"{kind}: completed", RuntimeError(why))
