"""The demo council's form services (``services/data/demo_forms.yaml``).

Each entry becomes a ``ServiceDefinition`` (name, reference prefix, case type, team,
SLA, workflow) and a "Form service (built by editors)" block at the end of its demo
page, exactly what an editor would make in the admin, so every "Start now" and
"Contact us online" in the demo reaches a working service. Idempotent like the rest
of the demo: definitions are found by name and left alone once they exist (an
editor may have changed them), and the page amendment is the same on every load.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.contrib.auth.models import Group

import yaml

from services.enums import CaseStatus, default_transitions

DATA_FILE = Path(__file__).parent / "data" / "demo_forms.yaml"
BLOCK_TYPE = "form_service"
COUNCILLOR = "councillor.patel"

S = CaseStatus
# Workflows a service starts from (its allowed status changes).
WORKFLOWS = {
    # Requests and reports: worked, then resolved.
    "simple": default_transitions(),
    # Applications end in a decision: approved (resolved) or refused (rejected).
    "application": {
        S.SUBMITTED: [S.IN_PROGRESS, S.REJECTED],
        S.IN_PROGRESS: [S.AWAITING_INFO, S.RESOLVED, S.REJECTED],
        S.AWAITING_INFO: [S.IN_PROGRESS, S.CLOSED],
        S.RESOLVED: [S.CLOSED],
        S.REJECTED: [S.CLOSED],
        S.CLOSED: [],
    },
}


# Workflows whose cases follow statutory deadlines (services.deadlines).
DEADLINE_RULES = {"complaint": "complaint", "foi": "foi"}


def workflow(name: str) -> dict:
    transitions = WORKFLOWS.get(name, WORKFLOWS["simple"])
    return {str(k): [str(v) for v in vs] for k, vs in transitions.items()}


@cache
def load_specs() -> tuple[list[str], list[dict]]:
    """(team names, service entries with the defaults filled in)."""
    data = yaml.safe_load(DATA_FILE.read_text())
    defaults = data.get("defaults") or {}
    return list(data["teams"]), [defaults | entry for entry in data["services"]]


def question_block(question: dict) -> dict:
    """One question as raw stream data (missing settings take the block's defaults)."""
    value = {k: v for k, v in question.items() if k != "type"}
    value.setdefault("hint", "")
    value.setdefault("required", True)
    return {"type": question["type"], "value": value}


def form_block(spec: dict, service) -> dict:
    if spec.get("block"):  # a purpose-built block, e.g. the councillor enquiry
        return {"type": spec["block"], "value": {"service": service.pk, "heading": ""}}
    return {
        "type": BLOCK_TYPE,
        "value": {
            "service": service.pk,
            "heading": "",
            "intro": spec.get("intro", ""),
            "questions": [question_block(q) for q in spec["questions"]],
        },
    }


def with_form(fields: dict, spec: dict, service) -> dict:
    """A demo page's fields with its form service at the end of the body and no
    start link (the form is on the page)."""
    block = form_block(spec, service)
    body = [i for i in fields.get("body") or [] if i["type"] != block["type"]]
    body.append(block)
    return {**fields, "body": body, "start": []}


def ensure_form_services() -> list[tuple[dict, object]]:
    """The teams and service definitions of every demo form service."""
    from services.models import ServiceDefinition

    teams, specs = load_specs()
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in teams}
    found = []
    for spec in specs:
        team = (
            groups.get(spec["team"])
            or Group.objects.get_or_create(name=spec["team"])[0]
        )
        service, _created = ServiceDefinition.objects.get_or_create(
            name=spec["name"],
            defaults={
                "reference_prefix": spec["prefix"],
                "case_type": spec["case_type"],
                "team": team,
                "sla_days": spec["sla_days"],
                "guest_allowed": spec["guest_allowed"],
                "allowed_transitions": workflow(spec["workflow"]),
                "deadline_rule": DEADLINE_RULES.get(spec["workflow"], ""),
                "synonyms": ", ".join(spec.get("synonyms") or []),
            },
        )
        found.append((spec, service))
    return found


def ensure_councillor():
    """A demo councillor, who raises enquiries for constituents."""
    import os

    from django.contrib.auth import get_user_model

    from services.councillors import COUNCILLORS_GROUP
    from services.demo import PASSWORD_DEFAULT, PASSWORD_ENV

    User = get_user_model()
    user = User.objects.filter(username=COUNCILLOR).first()
    if user is None:
        user = User.objects.create_user(
            username=COUNCILLOR,
            email=f"{COUNCILLOR}@guildhall.example",
            password=os.environ.get(PASSWORD_ENV) or PASSWORD_DEFAULT,
            first_name="Asha",
            last_name="Patel (councillor, demo)",
        )
    user.groups.add(Group.objects.get_or_create(name=COUNCILLORS_GROUP)[0])
    return user


def add_demo_forms(sender, builder, **kwargs) -> list[str]:
    """``demo_pages_ready`` receiver: the form services on their pages."""
    found = ensure_form_services()
    ensure_councillor()
    for spec, service in found:
        builder.amend(
            spec["page"],
            lambda fields, spec=spec, service=service: with_form(fields, spec, service),
            wanted_by=f"services (the {spec['name']!r} form service)",
        )
    return [
        f"  Councillor enquiries: sign in as {COUNCILLOR} (the staff password)",
        f"  {len(found)} form services built by editors' blocks (data: {DATA_FILE.name})",
    ]
