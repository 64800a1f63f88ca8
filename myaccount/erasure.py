"""Erasing a resident: the account's own kinds of record, and the sign-in itself.

``delete_account`` (``myaccount.actions``) runs every registered data handler (each
kind of record, from every app: cases in ``myaccount.sources_cases``, messages in
``myaccount.timeline``, the kinds below) and then ``erase_sign_in``, which removes
what lets the person sign in and anonymises the user row. The row stays, nameless,
inactive and without a usable password, so records the council keeps (cases, the
audit log) point at one pseudonymous account (its id) and at no person.

What stays on purpose, and why:

* **the audit log** (``AuditLogEntry``): who looked at or changed the record, when,
  for accountability. It points at the pseudonymous account; its ``detail`` (ids,
  view names, counts) is cleared so nothing but the action and time remains;
* **organisations** with other members: they belong to those members too (the
  resident's membership, and the invitations they sent, go). An organisation left
  without members goes with its invitations;
* anonymous records nobody can link to a person: search query counts (already
  stripped of emails, postcodes and numbers, ``search.querylog``) and page feedback.
"""

from __future__ import annotations

import secrets
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q

from allauth.account.models import EmailAddress

from myaccount.integrations.council_tax import forget_summary
from myaccount.models import (
    AuditLogEntry,
    CouncilTaxLink,
    Organisation,
    OrganisationInvitation,
    OrganisationMembership,
    Profile,
    StaffNote,
)
from myaccount.registry import DataHandler, register_data_handler

ERASED = "[erased]"


def email_addresses(user) -> list[str]:
    """Every address the account has or had, lower-cased."""
    emails = {
        e.lower()
        for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    if user.email:
        emails.add(user.email.lower())
    return sorted(emails)


def erase_profile(user) -> None:
    Profile.objects.filter(user=user).delete()


def erase_council_tax_links(user) -> None:
    links = CouncilTaxLink.objects.for_resident(user)
    for number in links.values_list("account_number", flat=True):
        forget_summary(number)
    links.delete()


def erase_organisations(user) -> None:
    """Leave every organisation; withdraw the invitations the resident sent and
    those sent to them; an organisation left without members goes entirely."""
    organisation_ids = list(
        OrganisationMembership.objects.filter(user=user).values_list(
            "organisation_id", flat=True
        )
    )
    OrganisationMembership.objects.filter(user=user).delete()
    OrganisationInvitation.objects.filter(invited_by=user).delete()
    emails = email_addresses(user)
    for email in emails:
        OrganisationInvitation.objects.filter(email__iexact=email).delete()
    Organisation.objects.filter(pk__in=organisation_ids).annotate(
        members=Count("memberships")
    ).filter(members=0).delete()


def erase_staff_notes(user) -> None:
    StaffNote.objects.filter(resident=user).delete()


def erase_access_log_detail(user) -> None:
    AuditLogEntry.objects.filter(Q(subject=user) | Q(actor=user)).update(detail={})


def erase_segment_membership(user) -> None:
    """Segments that list the resident by name (wagtail-personalisation's static
    and excluded users) no longer do."""
    from wagtail_personalisation.models import Segment

    Segment.static_users.through.objects.filter(user=user).delete()
    Segment.excluded_users.through.objects.filter(user=user).delete()


def erase_wagtail_records(user) -> None:
    """Wagtail's own records of the account: its admin profile (with any avatar
    file) and the admin's history entries about the user, whose label is the
    user's name or username."""
    from wagtail.models import ModelLogEntry
    from wagtail.users.models import UserProfile

    for profile in UserProfile.objects.filter(user=user):
        if profile.avatar:
            profile.avatar.delete(save=False)
        profile.delete()
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(get_user_model()),
        object_id=str(user.pk),
    ).update(label=ERASED, data={})


def end_sessions(user) -> int:
    from allauth.usersessions.models import UserSession

    engine = import_module(settings.SESSION_ENGINE)
    count = 0
    for user_session in UserSession.objects.filter(user=user):
        engine.SessionStore(user_session.session_key).delete()
        user_session.delete()
        count += 1
    return count


def erase_sign_in(user) -> None:
    """Last: email addresses, social sign-ins (and their tokens), two-factor
    authenticators and every session go; the user row is anonymised."""
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    SocialAccount.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    end_sessions(user)
    user.groups.clear()
    user.user_permissions.clear()
    user.username = f"deleted-{user.pk}-{secrets.token_hex(4)}"
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.last_login = None
    user.set_unusable_password()
    user.save()


# The models erase_sign_in erases (for the registry's coverage test).
SIGN_IN_MODELS = (
    "account.EmailAddress",
    "socialaccount.SocialAccount",
    "mfa.Authenticator",
    "usersessions.UserSession",
)


def register_builtin_erasers() -> None:
    """The account's own kinds of record (their export is built in)."""
    for handler in (
        DataHandler(
            "profile_erasure",
            "Profile",
            None,
            erase_profile,
            ("myaccount.Profile",),
        ),
        DataHandler(
            "council_tax_erasure",
            "Council tax accounts",
            None,
            erase_council_tax_links,
            ("myaccount.CouncilTaxLink",),
        ),
        DataHandler(
            "organisations_erasure",
            "Organisations",
            None,
            erase_organisations,
            (
                "myaccount.OrganisationMembership",
                "myaccount.OrganisationInvitation",
                "myaccount.Organisation",
            ),
        ),
        DataHandler(
            "staff_notes_erasure",
            "Staff notes",
            None,
            erase_staff_notes,
            ("myaccount.StaffNote",),
        ),
        DataHandler(
            "access_log_erasure",
            "Access log",
            None,
            erase_access_log_detail,
            ("myaccount.AuditLogEntry",),
        ),
        DataHandler(
            "segments_erasure",
            "Segments",
            None,
            erase_segment_membership,
            ("wagtail_personalisation.Segment",),
        ),
        DataHandler(
            "wagtail_erasure",
            "Admin records",
            None,
            erase_wagtail_records,
            ("wagtailusers.UserProfile", "wagtailcore.ModelLogEntry"),
        ),
    ):
        register_data_handler(handler)
