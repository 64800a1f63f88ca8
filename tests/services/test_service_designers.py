"""Service designers: a role that creates service definitions (workflow from a
template, the wording of the emails residents get) and builds forms on service
pages whose publishing goes through moderation. Other editors cannot change
service definitions."""

from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

import pytest

from services import actions
from services.models import ServiceDefinition
from services.workflows import WorkflowTemplate, transitions_for
from tests.myaccount.factories import with_two_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def designer(django_user_model):
    user = django_user_model.objects.create_user(
        "designer", "designer@example.com", "pw-designer-123"
    )
    user.groups.add(Group.objects.get(name="Service designers"))
    with_two_factor(user)
    return user


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user(
        "editor", "editor@example.com", "pw-editor-123"
    )
    user.groups.add(Group.objects.get(name="Editors"))
    with_two_factor(user)
    return user


def new_service(client, waste_team, **extra):
    return client.post(
        reverse("wagtailsnippets_services_servicedefinition:add"),
        {
            "name": "Garden waste sticker",
            "reference_prefix": "GWS",
            "case_type": "Garden waste sticker",
            "team": waste_team.pk,
            "sla_days": 5,
            "workflow_template": "application",
            "allowed_transitions": '{"submitted": ["closed"]}',
            "retention_days": 365,
            "canned_responses-count": 0,
            "confirmation_email_text": "We post your sticker within 5 working days.",
            "update_email_text": "Questions? Call 01632 960 001.",
            **extra,
        },
    )


def test_a_service_designer_creates_a_service_from_a_workflow_template(
    client, designer, waste_team
):
    client.force_login(designer)
    add = reverse("wagtailsnippets_services_servicedefinition:add")
    page = client.get(add).content.decode()
    assert "Application with a decision" in page and "Confirmation email" in page
    assert new_service(client, waste_team).status_code == 302
    service = ServiceDefinition.objects.get(reference_prefix="GWS")
    # The template's workflow replaced what was typed in the transitions box.
    assert service.allowed_transitions == transitions_for("application")
    assert service.next_statuses("in_progress") == [
        "awaiting_info",
        "resolved",
        "rejected",
    ]
    edit = reverse("wagtailsnippets_services_servicedefinition:edit", args=[service.pk])
    assert client.get(edit).status_code == 200


def test_custom_workflow_keeps_the_transitions_typed(client, designer, waste_team):
    client.force_login(designer)
    new_service(client, waste_team, workflow_template="")
    service = ServiceDefinition.objects.get(reference_prefix="GWS")
    assert service.next_statuses("submitted") == ["closed"]


def test_every_template_is_a_valid_workflow():
    for template in WorkflowTemplate.values:
        if template:
            service = ServiceDefinition(
                reference_prefix="ABC", workflow_template=template
            )
            service.clean()
            assert service.next_statuses("submitted")


def test_an_editor_without_the_role_cannot_change_service_definitions(
    client, editor, bin_service, waste_team
):
    client.force_login(editor)
    add = reverse("wagtailsnippets_services_servicedefinition:add")
    edit = reverse(
        "wagtailsnippets_services_servicedefinition:edit", args=[bin_service.pk]
    )
    assert client.get(add).status_code in (302, 403)
    assert client.get(edit).status_code in (302, 403)
    new_service(client, waste_team)
    assert not ServiceDefinition.objects.filter(reference_prefix="GWS").exists()


def test_a_service_designer_edits_pages_but_publishes_through_moderation(
    designer, missed_bin_page
):
    permissions = missed_bin_page.permissions_for_user(designer)
    assert permissions.can_edit()
    assert not permissions.can_publish()
    assert permissions.can_submit_for_moderation()


def test_the_emails_residents_get_carry_the_services_wording(
    bin_service, resident, waste_officer, django_capture_on_commit_callbacks
):
    bin_service.confirmation_email_text = "We will collect it within 2 days."
    bin_service.update_email_text = "Questions? Call 01632 960 001."
    bin_service.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case = actions.open_case(service=bin_service, answers={}, resident=resident)
    [confirmation] = mail.outbox
    assert "We will collect it within 2 days." in confirmation.body
    assert "Questions? Call" not in confirmation.body
    with django_capture_on_commit_callbacks(execute=True):
        actions.change_status(case=case, to_status="in_progress", actor=waste_officer)
    update = mail.outbox[-1]
    assert "Questions? Call 01632 960 001." in update.body
    assert "within 2 days" not in update.body
