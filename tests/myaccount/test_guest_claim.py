"""Records a guest made without an account are attached to the user once the same
email address is verified, for every model a later app registers."""

import re

from django.apps import apps
from django.core import mail
from django.db import connection, models

import pytest

from myaccount.guest_claim import claim_guest_records, guest_records_claimed
from myaccount.registry import register_guest_model, unregister_guest_model
from tests.myaccount.factories import PASSWORD


def make_guest_model():
    """Stands in for a later app's case: an email and an optional resident.

    Defined per test (and removed from the app registry afterwards) so no other test
    ever sees a model whose table exists only inside this test's transaction.
    """

    class GuestRequest(models.Model):
        email = models.EmailField()
        resident = models.ForeignKey(
            "auth.User",
            null=True,
            blank=True,
            on_delete=models.SET_NULL,
            related_name="+",
        )
        reference = models.CharField(max_length=20)

        class Meta:
            app_label = "myaccount"
            db_table = "test_guest_request"

        def __str__(self):
            return self.reference

    return GuestRequest


@pytest.fixture
def guest_model(db):
    model = make_guest_model()
    # The table is made inside the test's transaction (and goes with it). Not with
    # ``schema_editor()`` as a context: SQLite's refuses to open inside a transaction
    # because it cannot switch foreign key checks off there; a new table needs none.
    editor = connection.schema_editor()
    editor.deferred_sql = []  # what entering the context would have set up
    editor.create_model(model)
    for statement in editor.deferred_sql:  # foreign keys, as leaving it would
        editor.execute(statement)
    register_guest_model(model, email_field="email", user_field="resident")
    yield model
    unregister_guest_model(model)
    del apps.all_models["myaccount"]["guestrequest"]
    apps.clear_cache()


def test_verifying_the_email_on_sign_up_claims_earlier_guest_requests(
    client, home_page, guest_model
):
    guest_model.objects.create(email="Sam.Guest@example.com", reference="REQ-1")
    guest_model.objects.create(email="sam.guest@example.com", reference="REQ-2")
    guest_model.objects.create(email="someone.else@example.com", reference="REQ-3")
    client.post(
        "/account/signup/",
        {
            "email": "sam.guest@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    # Signed up but not verified: nothing is attached yet.
    assert not guest_model.objects.filter(resident__isnull=False).exists()
    confirm = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body).group(1)
    client.post(confirm)
    claimed = guest_model.objects.filter(resident__email="sam.guest@example.com")
    assert sorted(claimed.values_list("reference", flat=True)) == ["REQ-1", "REQ-2"]
    assert guest_model.objects.get(reference="REQ-3").resident is None


def test_claim_sends_a_signal_and_never_takes_records_of_another_user(
    guest_model, resident, other_resident
):
    guest_model.objects.create(
        email=resident.email, reference="A", resident=other_resident
    )
    guest_model.objects.create(email=resident.email, reference="B")
    received = []

    def receiver(sender, user, count, **kwargs):
        received.append((sender, user, count))

    guest_records_claimed.connect(receiver)
    try:
        assert claim_guest_records(user=resident, email=resident.email) == 1
    finally:
        guest_records_claimed.disconnect(receiver)
    assert received == [(guest_model, resident, 1)]
    assert guest_model.objects.get(reference="A").resident == other_resident
