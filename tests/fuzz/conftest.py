"""The fuzz suite's council, its probe (every request checked for a server error
or a logged traceback) and the figures printed at the end of the run.

``FUZZ_EXAMPLES`` sets the examples per area (default 60): CI runs the default,
which sends well over 1,000 requests in total; run more locally with, say,
``FUZZ_EXAMPLES=2000 .venv/bin/pytest tests/fuzz`` (``FUZZ_SHRINK=1`` to have a
failure shrunk to its smallest input).
"""

from __future__ import annotations

import logging
import os
from collections import Counter

from django.core.management import call_command
from django.test import Client

import pytest
from hypothesis import HealthCheck, Phase, settings

from personalisation.wards import DEMO_FILE as WARDS_FILE
from personalisation.wards import load_wards
from personalisation.wards import read_csv as read_wards
from services import actions
from tests.factories.services import ServiceLandingPageFactory, ServicePageFactory
from tests.myaccount.factories import ProfileFactory, ResidentFactory
from tests.services.conftest import (  # noqa: F401 (fixtures)
    bin_service,
    highways_team,
    street_service,
    waste_team,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))

# Reproducible in CI: the same inputs every run, nothing stored between runs. A
# failure names its request in full; shrinking it to the smallest one can take
# minutes, so it is asked for (FUZZ_SHRINK=1), not done in CI.
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    phases=[p for p in Phase if p != Phase.shrink or os.environ.get("FUZZ_SHRINK")],
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=list(HealthCheck),
)

# Requests sent, per area, over the whole run (printed by pytest_terminal_summary).
INPUTS: Counter = Counter()


class _Errors(logging.Handler):
    """Keeps every record a server error or traceback would leave in the log."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        if record.name.startswith("django.request") or record.exc_info:
            self.records.append(record)


class Probe:
    """Sends one request and fails the example on a 5xx or a logged traceback."""

    def __init__(self, errors: _Errors):
        self.errors = errors

    def send(self, area: str, client: Client, method: str, path: str, data=None):
        INPUTS[area] += 1
        INPUTS["total"] += 1
        self.errors.records.clear()
        sender = client.post if method == "POST" else client.get
        response = sender(path, data or {})
        logged = [
            f"{r.name}: {r.getMessage()}"
            + (f" ({r.exc_info[0].__name__}: {r.exc_info[1]})" if r.exc_info else "")
            for r in self.errors.records
        ]
        assert response.status_code < 500 and not logged, (
            f"{method} {path} {data!r} -> {response.status_code}; logged: {logged}"
        )
        return response


@pytest.fixture
def probe():
    errors = _Errors()
    root = logging.getLogger()
    root.addHandler(errors)
    try:
        yield Probe(errors)
    finally:
        root.removeHandler(errors)


def pytest_terminal_summary(terminalreporter):
    if not INPUTS:
        return
    terminalreporter.section("fuzz: inputs tried")
    for area, count in sorted(INPUTS.items()):
        if area != "total":
            terminalreporter.write_line(f"{area:<22} {count:>7,}")
    terminalreporter.write_line(f"{'total':<22} {INPUTS['total']:>7,}")


QUESTIONS = [
    ("text", {"label": "Your reference", "hint": "", "required": True,
              "long_answer": False, "max_length": 20}),
    ("long_text", {"label": "Anything else?", "hint": "", "required": False,
                   "max_length": 50}),
    ("choice", {"label": "Which bin?", "hint": "", "required": True,
                "choices": ["Black", "Blue"], "multiple": False}),
    ("choice", {"label": "What is damaged?", "hint": "", "required": False,
                "choices": ["Lid", "Wheels", "Body"], "multiple": True}),
    ("date", {"label": "When did it break?", "hint": "", "required": True,
              "when": "past"}),
    ("address", {"label": "Where is the bin?", "hint": "", "required": False}),
    ("file", {"label": "Photo of the damage", "hint": "", "required": False}),
]  # fmt: skip


@pytest.fixture
def fuzz_site(council, bin_service, street_service):  # noqa: F811
    """Every journey on one council site, a resident with open and closed cases,
    an organisation with a pending invitation, and a guest's case."""
    from myaccount.models import OrganisationInvitation
    from services.models import Case

    load_wards(read_wards(WARDS_FILE))
    call_command("load_streets", stdout=None)
    landing = ServiceLandingPageFactory(
        parent=council["home"], title="Roads", slug="roads"
    )
    street_page = ServicePageFactory(
        parent=landing, title="Report a street problem", slug="street", body=[]
    )
    street_page.body = [("street_problem", {"service": street_service, "heading": ""})]
    street_page.save_revision().publish()
    missed_bin_page = ServicePageFactory(
        parent=landing, title="Report a missed bin", slug="missed-bin", body=[]
    )
    missed_bin_page.body = [("missed_bin", {"service": bin_service, "heading": ""})]
    missed_bin_page.save_revision().publish()
    form_page = ServicePageFactory(
        parent=landing, title="Report a damaged bin", slug="damaged-bin", body=[]
    )
    form_page.body = [
        (
            "form_service",
            {
                "service": bin_service,
                "heading": "",
                "intro": "",
                "questions": QUESTIONS,
            },
        )
    ]
    form_page.save_revision().publish()
    resident = ProfileFactory(
        user=ResidentFactory(first_name="Amira", last_name="Khan")
    ).user
    colleague = ResidentFactory()
    open_case = actions.open_case(service=bin_service, answers={}, resident=resident)
    closed = actions.open_case(service=bin_service, answers={}, resident=resident)
    Case.objects.filter(pk=closed.pk).update(status="closed")
    guest = actions.open_case(
        service=bin_service, answers={}, guest_email="guest@example.com"
    )
    organisation = actions_create_organisation(resident)
    invitation = OrganisationInvitation.objects.create(
        organisation=organisation, email=colleague.email, invited_by=resident
    )
    for page in (street_page, form_page, missed_bin_page):
        page.refresh_from_db()
    return {
        **council,
        "missed_bin": missed_bin_page,
        "street": street_page,
        "form": form_page,
        "resident": resident,
        "colleague": colleague,
        "open_case": open_case,
        "closed_case": closed,
        "guest_case": guest,
        "organisation": organisation,
        "invitation": invitation,
    }


def actions_create_organisation(user):
    from myaccount import actions as account_actions

    return account_actions.create_organisation(
        user=user, name="Khan Catering", registration_number=""
    )


@pytest.fixture(autouse=True)
def _private_uploads(tmp_path, settings):
    """Files the fuzzer uploads land in a folder of this test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "case_uploads": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads")},
        },
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")
    from django.core.files.storage import storages

    storages._storages.pop("case_uploads", None)
    storages._storages.pop("default", None)
    yield
    storages._storages.pop("case_uploads", None)
    storages._storages.pop("default", None)
