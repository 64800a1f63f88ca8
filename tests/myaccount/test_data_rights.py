"""Download your data (JSON and HTML), delete your account, sign out everywhere."""

import json

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection, models
from django.db.models.functions import Cast

import pytest
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession

from myaccount import actions
from myaccount.enums import AuditAction
from myaccount.models import (
    AuditLogEntry,
    OrganisationInvitation,
    Profile,
    ResidentMessage,
    StaffNote,
)
from myaccount.registry import (
    DataHandler,
    data_handlers,
    register_data_handler,
    unregister_data_handler,
)
from tests.myaccount.factories import (
    PASSWORD,
    CouncilTaxLinkFactory,
    DemoCouncilTaxAccountFactory,
    ProfileFactory,
    ResidentFactory,
    ResidentMessageFactory,
    with_two_factor,
)

pytestmark = pytest.mark.django_db

# Distinctive personal data, searched for in every text column after erasure.
MARKERS = {
    "first": "Zebedee",
    "last": "Quixotically",
    "email": "zebedee.quixotic@example.com",
    "phone": "07700900777",
    "street": "17 Quixote Row",
    "uprn": "100090777777",
    "postcode": "GH7 7QQ",
    "message": "Quixotic message subject",
    "note": "Quixotic staff note",
    "ua": "QuixoticBrowser/1.0",
}


@pytest.fixture
def rich_resident(client, home_page, staff_user):
    """A resident with one of every kind of record."""
    user = ResidentFactory(
        username="zebedee",
        email=MARKERS["email"],
        first_name=MARKERS["first"],
        last_name=MARKERS["last"],
    )
    ProfileFactory(
        user=user,
        phone=MARKERS["phone"],
        address_line_1=MARKERS["street"],
        uprn=MARKERS["uprn"],
        postcode=MARKERS["postcode"],
        contact_topics=["bins"],
    )
    DemoCouncilTaxAccountFactory(account_number="10000777")
    CouncilTaxLinkFactory(user=user, account_number="10000777")
    ResidentMessageFactory(user=user, subject=MARKERS["message"])
    organisation = actions.create_organisation(user=user, name="Quixote Trading")
    OrganisationInvitation.objects.create(
        organisation=organisation, email=MARKERS["email"].replace("zebedee", "other")
    )
    actions.add_staff_note(staff=staff_user, resident=user, text=MARKERS["note"])
    actions.record_staff_view(staff=staff_user, resident=user, view="test")
    SocialAccount.objects.create(
        user=user,
        provider="google",
        uid="1234",
        extra_data={"email": MARKERS["email"], "name": MARKERS["first"]},
    )
    client.post(
        "/account/login/",
        {"login": MARKERS["email"], "password": PASSWORD},
        HTTP_USER_AGENT=MARKERS["ua"],
    )
    assert UserSession.objects.filter(user=user).exists()
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    return user


@pytest.fixture
def staff_user(django_user_model):
    user = django_user_model.objects.create_user(
        "staffer", "staff@guildhall.example", "pw-staff-123", is_staff=True
    )
    with_two_factor(user)
    return user


def test_json_export_contains_every_kind_of_record(client, rich_resident):
    extra = DataHandler(
        key="test_records",
        label="Test records",
        export=lambda u: [{"reference": "CASE-1"}],
        erase=lambda u: None,
    )
    register_data_handler(extra)
    try:
        response = client.get("/account/your-data/download.json")
    finally:
        unregister_data_handler("test_records")
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    sections = json.loads(response.content)["sections"]
    assert sections["account"]["email"] == MARKERS["email"]
    assert sections["profile"]["phone"] == MARKERS["phone"]
    assert sections["profile"]["address"]["uprn"] == MARKERS["uprn"]
    assert sections["contact_preferences"]["topics"] == ["bins"]
    assert sections["email_addresses"][0]["verified"] is True
    assert sections["organisations"][0]["name"] == "Quixote Trading"
    assert sections["council_tax_accounts"][0]["account_number"] == "10000777"
    assert sections["messages"][0]["subject"] == MARKERS["message"]
    assert sections["social_accounts"][0]["provider"] == "google"
    assert sections["two_factor_authentication"][0]["type"] == "totp"
    assert sections["sessions"][0]["user_agent"] == MARKERS["ua"]
    assert {e["action"] for e in sections["access_log"]} >= {
        "Staff viewed the resident's record"
    }
    assert sections["test_records"] == [{"reference": "CASE-1"}]
    # Every registered handler with an export has its section; every built-in one
    # has data here.
    handler_keys = {h.key for h in data_handlers() if h.export is not None}
    assert handler_keys <= set(sections)
    empty = [k for k, v in sections.items() if not v and k not in handler_keys]
    assert empty == []
    assert "secret" not in response.content.decode()
    assert AuditLogEntry.objects.filter(
        action=AuditAction.DATA_EXPORTED, subject=rich_resident
    ).exists()


def test_html_export_is_a_readable_page(client, rich_resident):
    response = client.get("/account/your-data/download.html")
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        MARKERS["street"],
        MARKERS["message"],
        "Council tax accounts",
        "Quixote Trading",
        "govuk-summary-list",
    ):
        assert text in html


def _text_columns(model):
    for field in model._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField, models.JSONField)):
            yield field


def personal_data_left() -> list[str]:
    """Every (model, column, marker) where a marker still appears, across all models."""
    tables = set(connection.introspection.table_names())
    found = []
    for model in apps.get_models():
        if model._meta.db_table not in tables or not model._meta.managed:
            continue
        for field in _text_columns(model):
            qs = model._default_manager.all()
            if isinstance(field, models.JSONField):
                qs = qs.annotate(_text=Cast(field.name, models.TextField()))
                lookup = "_text__icontains"
            else:
                lookup = f"{field.name}__icontains"
            for marker in MARKERS.values():
                if qs.filter(**{lookup: marker}).exists():
                    found.append(f"{model._meta.label}.{field.name}: {marker}")
    return found


def test_deleting_asks_for_the_password_again_then_carries_on(client, rich_resident):
    response = client.post("/account/delete/", {"confirm": "on"})
    assert response["Location"].startswith("/account/reauthenticate/")
    assert get_user_model().objects.get(pk=rich_resident.pk).is_active
    response = client.post(response["Location"], {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/account/deleted/"
    assert not get_user_model().objects.get(pk=rich_resident.pk).is_active


def test_erasure_leaves_no_personal_data_in_the_database(client, rich_resident):
    assert personal_data_left()  # the scan does find the data before erasure
    sessions_before = Session.objects.count()
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    response = client.post("/account/delete/", {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == "/account/deleted/"
    assert personal_data_left() == []
    user = get_user_model().objects.get(pk=rich_resident.pk)
    assert not user.is_active and not user.has_usable_password()
    assert Session.objects.count() < sessions_before
    for model in (
        Profile,
        ResidentMessage,
        StaffNote,
        SocialAccount,
        Authenticator,
        UserSession,
    ):
        assert not model.objects.filter(
            **{"resident" if model is StaffNote else "user": user}
        ).exists()
    # The audit log keeps the erasure, pointing at the anonymised account.
    assert AuditLogEntry.objects.filter(
        action=AuditAction.ACCOUNT_DELETED, subject=user
    ).exists()
    # Signed out, and the old password no longer works.
    assert client.get("/account/profile/").status_code == 302
    client.post("/account/login/", {"login": MARKERS["email"], "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_deletion_needs_confirmation(client, rich_resident):
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    response = client.post("/account/delete/", {})
    assert response.status_code == 400
    assert "Confirm that you want to delete your account" in response.content.decode()
    assert get_user_model().objects.get(pk=rich_resident.pk).is_active


def test_deletion_runs_registered_erasure_handlers(client, rich_resident):
    erased = []
    register_data_handler(
        DataHandler(
            "test_records", "Test records", lambda u: [], lambda u: erased.append(u.pk)
        )
    )
    try:
        client.post("/account/reauthenticate/", {"password": PASSWORD})
        client.post("/account/delete/", {"confirm": "on"})
    finally:
        unregister_data_handler("test_records")
    assert erased == [rich_resident.pk]


def test_sessions_list_and_sign_out_everywhere(client, rich_resident):
    Authenticator.objects.filter(user=rich_resident).delete()
    other_device = type(client)()
    other_device.post(
        "/account/login/",
        {"login": MARKERS["email"], "password": PASSWORD},
        HTTP_USER_AGENT="Other/2.0",
    )
    assert other_device.get("/account/profile/").status_code == 200
    listing = client.get("/account/sessions/").content.decode()
    assert MARKERS["ua"] in listing and "Other/2.0" in listing
    response = client.post("/account/sign-out-everywhere/")
    assert response.status_code == 302
    assert client.get("/account/profile/").status_code == 302
    assert other_device.get("/account/profile/").status_code == 302
    assert not UserSession.objects.filter(user=rich_resident).exists()
    assert AuditLogEntry.objects.filter(
        action=AuditAction.SIGNED_OUT_EVERYWHERE
    ).exists()


# Models that point at a user but can only ever hold staff's or editors' work
# (residents have no admin access), so account erasure has nothing to do there.
STAFF_ONLY_MODELS = {
    # ids only, the member of staff or resident who merged and who undid it
    "services.ContactMerge",
    "services.Handover",  # a team handover: the member of staff and their note
    "services.Refund",  # the member of staff who refunded
    "myaccount.Bulletin",  # the editor who sent it
    "search.CouncilDocument",
    "wagtaildocs.Document",
    "wagtailimages.Image",
    "wagtailadmin.EditingSession",
    "wagtailadmin.FormState",
    "wagtailcore.APIToken",
    "wagtailcore.Revision",
    "wagtailcore.UploadedFile",
    "wagtailcore.WorkflowState",
    "wagtailcore.TaskState",
    "wagtailcore.PageLogEntry",
    "wagtailcore.Comment",
    "wagtailcore.CommentReply",
    "wagtailcore.PageSubscription",
}


def test_every_model_pointing_at_a_user_is_erased_or_staff_only():
    """A new model with a link to a user must get an erasure handler (or be listed
    above with its reason), or account deletion would leave it behind."""
    from wagtail.models import Page

    from myaccount.erasure import SIGN_IN_MODELS

    user_model = get_user_model()
    erased = {label for h in data_handlers() for label in h.models}
    erased |= set(SIGN_IN_MODELS)
    forgotten = []
    for model in apps.get_models():
        fields = [
            f
            for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
            if f.is_relation and f.related_model is user_model
        ]
        label = model._meta.label
        if not fields or issubclass(model, Page) or label in STAFF_ONLY_MODELS:
            continue
        if label not in erased:
            forgotten.append(f"{label} ({', '.join(f.name for f in fields)})")
    assert forgotten == []
