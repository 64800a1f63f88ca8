"""The audit run: what to visit, the checks on each page and state, the report data."""

import datetime
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.urls import reverse
from django.utils import timezone

from wagtail import hooks
from wagtail.models import Page

from home.a11y import checks, journeys, vnu
from home.a11y.axe import run_axe

STATEMENT_MAX_AGE = datetime.timedelta(days=365)


@dataclass
class Target:
    """One page or journey state that was checked."""

    kind: str  # "page", "journey state" or "account page"
    name: str
    url: str
    site: str
    page_id: int | None = None
    owner: str = ""
    edit_url: str = ""
    title: str = ""
    violations: list[dict] = field(default_factory=list)
    html_file: str = ""

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "name": self.name,
            "url": self.url,
            "site": self.site,
            "page_id": self.page_id,
            "owner": self.owner,
            "edit_url": self.edit_url,
            "title": self.title,
            "violations": self.violations,
        }


@dataclass
class AccountPages:
    """Pages visited signed in as a demo user (registered by the accounts app)."""

    user: str
    paths: list[tuple[str, str]]  # (name, path)


def registered_account_pages() -> list[AccountPages]:
    found = []
    for fn in hooks.get_hooks("register_accessibility_account_pages"):
        found.extend(fn())
    return found


def registered_extra_paths(site) -> list[tuple[str, str]]:
    """(name, path) pairs outside the page tree: error pages, search results..."""
    found = []
    for fn in hooks.get_hooks("register_accessibility_paths"):
        found.extend(fn(site))
    return found


def owner_name(page) -> str:
    owner = getattr(page, "content_owner", None)
    if owner is None:
        return ""
    return owner.get_full_name() or owner.get_username()


def page_paths(page) -> list[tuple[str, str]]:
    """The URLs a page answers on: itself, plus parts of routable pages (guide parts,
    A to Z letters) when the page lists them in ``accessibility_audit_paths``."""
    if getattr(page, "accessibility_audit_signed_in", False):
        # Shown only to signed-in people (My Account): checked signed in instead
        # (``register_accessibility_account_pages``).
        return []
    base = page.get_url_parts()
    if base is None or base[2] is None:
        return []
    path = base[2]
    extra = getattr(page, "accessibility_audit_paths", None)
    found = [(page.title, path)]
    if callable(extra):
        found.extend((f"{page.title}: {name}", path + sub) for name, sub in extra())
    return found


class Audit:
    def __init__(
        self,
        *,
        sites: list,
        url_for: Callable[[object, str], str],
        output: Path,
        include_journeys: bool = True,
        include_account_pages: bool = True,
        extra_urls: list[str] = (),
        journeys_to_walk: list | None = None,
        account_pages: list | None = None,
        log=print,
    ):
        self.sites = sites
        self.url_for = url_for
        self.output = output
        self.include_journeys = include_journeys
        self.include_account_pages = include_account_pages
        self.extra_urls = list(extra_urls)
        # Default: everything the apps register (hooks).
        self.journeys_to_walk = journeys_to_walk
        self.account_pages = account_pages
        self.log = log
        self.targets: list[Target] = []
        self.site_problems: list[dict] = []
        self.focus_checked = 0
        self.started = timezone.now()
        self.finished = None
        (output / "html").mkdir(parents=True, exist_ok=True)

    # ------------------------------------------------------------------ running

    def run(self, driver) -> dict:
        started = time.monotonic()
        for site in self.sites:
            self.check_statement(site)
            site_name = site.site_name or site.hostname
            pages = (
                Page.objects.live()
                .public()
                .descendant_of(site.root_page, inclusive=True)
                .order_by("path")
                .specific()
            )
            targets = [
                Target(
                    kind="page",
                    name=name,
                    url=self.url_for(site, path),
                    site=site_name,
                    page_id=page.pk,
                    owner=owner_name(page),
                    edit_url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
                )
                for page in pages
                for name, path in page_paths(page)
            ]
            targets += [
                Target("page", name, self.url_for(site, path), site_name)
                for name, path in registered_extra_paths(site)
            ]
            for target in targets:
                self.check_page(driver, target)
            if self.include_journeys:
                walk = self.journeys_to_walk
                for journey in journeys.registered_journeys() if walk is None else walk:
                    self.walk(driver, site, journey)
            if self.include_account_pages and site.is_default_site:
                groups = self.account_pages
                for group in registered_account_pages() if groups is None else groups:
                    self.visit_signed_in(driver, site, group)
        for url in self.extra_urls:
            self.check_page(driver, Target(kind="page", name=url, url=url, site=""))
        self.validate_html()
        self.check_unique_titles()
        self.finished = timezone.now()
        self.log(
            f"Checked {self.count('page')} pages and "
            f"{len(self.targets) - self.count('page')} states in "
            f"{time.monotonic() - started:.0f}s"
        )
        return self.report()

    def count(self, kind: str) -> int:
        return sum(1 for t in self.targets if t.kind == kind)

    def check_page(self, driver, target: Target) -> None:
        """Load a page and run every check on it."""
        self.log(f"  {target.url}")
        driver.get(target.url)
        self.check_state(driver, target, skip_link=True)

    def check_state(self, driver, target: Target, skip_link: bool = False) -> None:
        """Every check on what the browser shows now (no reload: journey states
        exist only as the answer to a POST)."""
        target.title = driver.title
        # First, while focus is where a fresh page load leaves it: the other checks
        # move the point sequential (Tab) navigation starts from.
        found = checks.check_skip_link(driver) if skip_link else []
        found += run_axe(driver)
        found += checks.check_headings(driver)
        focus, checked = checks.check_focus(driver)
        self.focus_checked += checked
        found += focus
        found += checks.check_dragging(driver)
        found += checks.check_sign_in(driver)
        found += checks.check_reflow_in_place(driver)
        target.violations = found
        path = self.output / "html" / f"{len(self.targets) + 1:04d}.html"
        path.write_text(
            "<!DOCTYPE html>\n"
            + driver.execute_script("return document.documentElement.outerHTML"),
            encoding="utf-8",
        )
        target.html_file = str(path.resolve())
        self.targets.append(target)

    def walk(self, driver, site, journey: journeys.Journey) -> None:
        """Walk a journey; whatever it signed in to or stored is cleared after."""
        try:
            self._walk(driver, site, journey)
        finally:
            driver.delete_all_cookies()

    def _walk(self, driver, site, journey: journeys.Journey) -> None:
        start = journey.start(site)
        if start is None:
            return
        site_name = site.site_name or site.hostname
        url = self.url_for(site, start)
        if journey.user:
            self.sign_in(driver, url, journey.user)
        self.log(f"  journey: {journey.name} ({url})")
        driver.get(url)
        self.check_state(
            driver,
            Target("journey state", f"{journey.name}: start", url, site_name),
        )
        answered: dict[str, str] = {}
        for step in journey.steps:
            target = Target(
                "journey state", f"{journey.name}: {step.title}", "", site_name
            )
            problems = []
            try:
                form = journeys.form_for(driver, step)
                driver.execute_script(
                    "document.activeElement.blur(); window.scrollTo(0,0)"
                )
                for item in step.fields:
                    journeys.fill(driver, item)
                if form is None:
                    form = _first_form_with_submit(driver)
                journeys.submit(driver, step, form)
            except journeys.KeyboardError as error:
                target.url = driver.current_url
                self.check_state(driver, target)
                target.violations.append(
                    journeys.keyboard_violation(journey, step, error)
                )
                return
            target.url = driver.current_url
            if step.expect and step.expect not in driver.page_source:
                problems.append(journeys.unexpected_page_violation(journey, step))
            problems += journeys.answered_fields_shown_empty(driver, answered)
            for item in step.fields:
                answered[item.name] = item.value
            self.check_state(driver, target)
            target.violations.extend(problems)
            if problems and step.expect:
                return
            # A step that ends on a new page starts a new form: answers to an earlier
            # form are only "asked again" if the same journey shows them again.

    def visit_signed_in(self, driver, site, group: AccountPages) -> None:
        site_name = site.site_name or site.hostname
        first = self.url_for(site, "/")
        User = get_user_model()
        if not User.objects.filter(**{User.USERNAME_FIELD: group.user}).exists():
            self.site_problems.append(
                {
                    "site": site_name,
                    **checks.violation(
                        "audit-sign-in",
                        f"The account pages could not be checked: there is no user "
                        f"'{group.user}' to sign in as (load the demo residents)",
                        [],
                        impact="critical",
                    ),
                }
            )
            return
        self.sign_in(driver, first, group.user)
        for name, path in group.paths:
            target = Target("account page", name, self.url_for(site, path), site_name)
            self.check_page(driver, target)
        driver.delete_all_cookies()

    def sign_in(self, driver, url: str, username: str) -> None:
        """Sign the browser in as ``username`` with a session made here (the audit
        runs beside the site, on the same session store)."""
        User = get_user_model()
        user = User.objects.get(**{User.USERNAME_FIELD: username})
        engine = import_module(settings.SESSION_ENGINE)
        session = engine.SessionStore()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        parts = urlsplit(url)
        driver.get(f"{parts.scheme}://{parts.netloc}/robots.txt")
        driver.delete_all_cookies()
        driver.add_cookie(
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "path": "/",
            }
        )

    # ------------------------------------------------------------------ cross-page checks

    def validate_html(self) -> None:
        files = [Path(t.html_file) for t in self.targets if t.html_file]
        errors = vnu.validate_files(files)
        for target in self.targets:
            found = errors.get(target.html_file)
            if found:
                target.violations.append(vnu.html_violation(found))

    def check_unique_titles(self) -> None:
        """Titles are unique within each site (2.4.2); journey states repeat their
        page's title by design (with "Error: " in front on an error)."""
        by_title: dict[tuple[str, str], list[Target]] = {}
        for target in self.targets:
            if target.kind != "journey state":
                key = (target.site, target.title.strip())
                by_title.setdefault(key, []).append(target)
        for (_site, title), targets in by_title.items():
            if len(targets) > 1 or not title:
                for target in targets:
                    target.violations.append(
                        checks.violation(
                            "page-title",
                            "Every page has a title of its own"
                            + (
                                f" ('{title}' is shared by {len(targets)} pages)"
                                if title
                                else " (this page has none)"
                            ),
                            ["2.4.2"],
                            [(t.url, t.name) for t in targets[:10]],
                        )
                    )

    def check_statement(self, site) -> None:
        """Each site has a live accessibility statement reviewed in the last year."""
        from home.models import AccessibilityStatementPage

        statement = (
            AccessibilityStatementPage.objects.live()
            .descendant_of(site.root_page)
            .first()
        )
        site_name = site.site_name or site.hostname
        if statement is None:
            self.site_problems.append(
                {
                    "site": site_name,
                    **checks.violation(
                        "accessibility-statement",
                        "The site has a published accessibility statement",
                        [],
                        impact="critical",
                    ),
                }
            )
            return
        today = timezone.localdate()
        if (
            statement.last_reviewed is None
            or today - statement.last_reviewed > STATEMENT_MAX_AGE
        ):
            self.site_problems.append(
                {
                    "site": site_name,
                    **checks.violation(
                        "accessibility-statement-review",
                        "The accessibility statement was reviewed in the last 12 "
                        f"months (last reviewed: {statement.last_reviewed or 'never'})",
                        [],
                        impact="critical",
                    ),
                }
            )

    # ------------------------------------------------------------------ report

    def report(self) -> dict:
        by_rule: dict[str, dict] = {}
        for target in self.targets:
            for v in target.violations:
                entry = by_rule.setdefault(
                    v["rule"],
                    {
                        "rule": v["rule"],
                        "source": v["source"],
                        "help": v["help"],
                        "help_url": v["help_url"],
                        "impact": v["impact"],
                        "criteria": v["criteria"],
                        "pages": [],
                    },
                )
                entry["pages"].append(
                    {
                        "site": target.site,
                        "name": target.name,
                        "url": target.url,
                        "owner": target.owner,
                        "edit_url": target.edit_url,
                        "nodes": v["nodes"],
                        "help": v["help"],
                    }
                )
        for problem in self.site_problems:
            by_rule.setdefault(
                problem["rule"],
                {
                    "rule": problem["rule"],
                    "source": problem["source"],
                    "help": problem["help"],
                    "help_url": "",
                    "impact": problem["impact"],
                    "criteria": [],
                    "pages": [],
                },
            )["pages"].append(
                {
                    "site": problem["site"],
                    "name": problem["site"],
                    "url": "",
                    "owner": "",
                    "edit_url": "",
                    "nodes": [],
                    "help": problem["help"],
                }
            )
        violation_count = sum(len(t.violations) for t in self.targets) + len(
            self.site_problems
        )
        return {
            "started": self.started.isoformat(),
            "finished": (self.finished or timezone.now()).isoformat(),
            "tags": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
            "sites": [s.site_name or s.hostname for s in self.sites],
            "pages_checked": self.count("page"),
            "states_checked": len(self.targets) - self.count("page"),
            "focus_checked": self.focus_checked,
            "violation_count": violation_count,
            "passed": violation_count == 0,
            "by_rule": sorted(
                by_rule.values(),
                key=lambda r: (_IMPACT_ORDER.get(r["impact"], 9), r["rule"]),
            ),
            "pages": [t.as_dict() for t in self.targets],
            "site_problems": self.site_problems,
        }


_IMPACT_ORDER = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}


def _first_form_with_submit(driver):
    return driver.execute_script(
        "const b = document.querySelector('main form button[type=submit], main form input[type=submit],"
        " form button[type=submit]'); return b ? b.form : null;"
    )


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
