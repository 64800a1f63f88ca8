"""Every existing person becomes a contact, in batches.

* Each resident account gets a contact, holding the account's email addresses
  (verified as allauth recorded them).
* Cases and interactions made with an account join that account's contact.
* A guest's or caller's case or interaction joins the contact holding its email
  address or phone number *verified*; otherwise it gets a contact of its own.
  Records are never joined on a name or an unverified detail (the rule of
  ``services.contacts``): staff see those as possible duplicates and merge them.
"""

import re

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

BATCH = 2000


def _phone(phone):
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("440"):
        digits = digits[2:]
    elif digits.startswith("44") and len(digits) == 12:
        digits = "0" + digits[2:]
    return digits


def _batches(queryset):
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def backfill(apps, schema_editor):
    User = apps.get_model("auth", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    Contact = apps.get_model("services", "Contact")
    ContactPoint = apps.get_model("services", "ContactPoint")
    Case = apps.get_model("services", "Case")
    Interaction = apps.get_model("services", "Interaction")
    now = timezone.now()

    people = User.objects.filter(
        Q(is_staff=False, is_superuser=False, groups__isnull=True)
        | Q(pk__in=Case.objects.filter(resident__isnull=False).values("resident_id"))
        | Q(
            pk__in=Interaction.objects.filter(resident__isnull=False).values(
                "resident_id"
            )
        ),
        contact__isnull=True,
    )
    for users in _batches(people.distinct()):
        made = Contact.objects.bulk_create(
            Contact(name=f"{u.first_name} {u.last_name}".strip(), user_id=u.pk)
            for u in users
        )
        by_user = {c.user_id: c.pk for c in made}
        points, seen = [], set()
        for address in EmailAddress.objects.filter(user_id__in=by_user).order_by(
            "-verified"
        ):
            key = ("email", address.email.strip().lower())
            if key in seen:
                continue
            seen.add(key)
            points.append(
                ContactPoint(
                    contact_id=by_user[address.user_id],
                    kind="email",
                    value=key[1],
                    verified_at=now if address.verified else None,
                )
            )
        for u in users:
            key = ("email", (u.email or "").strip().lower())
            if key[1] and key not in seen:
                seen.add(key)
                points.append(
                    ContactPoint(contact_id=by_user[u.pk], kind="email", value=key[1])
                )
        ContactPoint.objects.bulk_create(points)

    for model in (Case, Interaction):
        for rows in _batches(model.objects.filter(resident__isnull=False)):
            owners = dict(
                Contact.objects.filter(
                    user_id__in={r.resident_id for r in rows}
                ).values_list("user_id", "pk")
            )
            for row in rows:
                row.contact_id = owners[row.resident_id]
            model.objects.bulk_update(rows, ["contact"])

    def verified_owners(values):
        return dict(
            ContactPoint.objects.filter(
                value__in=values, verified_at__isnull=False
            ).values_list("value", "contact_id")
        )

    for model, email_field in ((Case, "guest_email"), (Interaction, "contact_email")):
        guests = model.objects.filter(resident__isnull=True, contact__isnull=True)
        for rows in _batches(guests):
            details = [
                (
                    getattr(r, email_field).strip().lower(),
                    _phone(r.contact_phone),
                )
                for r in rows
            ]
            owners = verified_owners({v for pair in details for v in pair if v})
            new = []
            for row, (email, phone) in zip(rows, details):
                owner = owners.get(email) or owners.get(phone)
                if owner:
                    row.contact_id = owner
                else:
                    new.append((row, email, phone))
            made = Contact.objects.bulk_create(
                Contact(name=row.contact_name) for row, _, _ in new
            )
            ContactPoint.objects.bulk_create(
                ContactPoint(contact_id=contact.pk, kind=kind, value=value)
                for contact, (_, email, phone) in zip(made, new)
                for kind, value in (("email", email), ("phone", phone))
                if value
            )
            for contact, (row, _, _) in zip(made, new):
                row.contact_id = contact.pk
            model.objects.bulk_update(rows, ["contact"])


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0024_contacts"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
