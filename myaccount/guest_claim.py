"""Attach records a guest made without an account to the user who verifies the
same email address (see ``registry.register_guest_model``), and join every
contact holding that address to the account's contact
(``services.contacts.join_contacts_by_email``): a guest's or caller's cases and
interactions, and their consents, then belong to the account.

Only a *verified* address claims anything: otherwise anyone could sign up with a
stranger's email and read their requests. ``guest_records_claimed`` is sent once per
model with records attached, so a later app can, say, re-send notifications.
"""

from django.db import transaction
from django.dispatch import Signal

from myaccount.enums import AuditAction
from myaccount.models import AuditLogEntry
from myaccount.registry import guest_models
from services.contacts import join_contacts_by_email

guest_records_claimed = Signal()  # sender=model, user=..., count=...


@transaction.atomic
def claim_guest_records(*, user, email: str) -> int:
    """Attach every registered guest record made with ``email`` to ``user``."""
    joined = join_contacts_by_email(user=user, email=email)
    total = 0
    claimed = []
    for entry in guest_models():
        count = entry.model._default_manager.filter(
            **{
                f"{entry.email_field}__iexact": email,
                f"{entry.user_field}__isnull": True,
            }
        ).update(**{entry.user_field: user})
        if count:
            claimed.append((entry.model, count))
            total += count
    if joined:
        claimed.append((joined[0]._meta.model, len(joined)))
        total += len(joined)
    if total:
        AuditLogEntry.objects.create(
            action=AuditAction.GUEST_RECORDS_CLAIMED,
            actor=user,
            subject=user,
            detail={f"{m._meta.app_label}.{m._meta.model_name}": c for m, c in claimed},
        )
    for model, count in claimed:
        guest_records_claimed.send(sender=model, user=user, count=count)
    return total
