"""Every change to a resident's account. Views, admin views and commands call these."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from myaccount.enums import AuditAction, MembershipRole
from myaccount.erasure import end_sessions, erase_sign_in
from myaccount.exports import build_export
from myaccount.integrations.address_lookup import Address
from myaccount.integrations.council_tax import forget_summary, get_council_tax_client
from myaccount.models import (
    AuditLogEntry,
    CouncilTaxLink,
    Organisation,
    OrganisationInvitation,
    OrganisationMembership,
    Profile,
    StaffNote,
)
from myaccount.registry import data_handlers


def profile_for(user) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def update_profile(*, user, first_name: str, last_name: str, phone: str, language: str):
    user.first_name, user.last_name = first_name, last_name
    user.save(update_fields=["first_name", "last_name"])
    profile = profile_for(user)
    profile.phone, profile.language = phone, language
    if not phone:
        profile.contact_by_sms = False
    profile.save()
    return profile


def set_address(*, user, address: Address) -> Profile:
    profile = profile_for(user)
    profile.address_line_1 = address.line_1
    profile.address_line_2 = address.line_2
    profile.town = address.town
    profile.postcode = address.postcode
    profile.uprn = address.uprn
    profile.save()
    return profile


@transaction.atomic
def update_contact_preferences(*, user, channels: list[str], topics: list[str]):
    """Save the resident's channels and topics; each topic subscribed or
    unsubscribed is recorded as consent given or withdrawn (``TopicConsent``)."""
    from myaccount.bulletins import record_topic_changes
    from myaccount.models import ConsentSource

    profile = profile_for(user)
    before = list(profile.contact_topics or [])
    profile.contact_by_email = "email" in channels
    profile.contact_by_sms = "sms" in channels
    profile.contact_topics = list(topics)
    profile.save()
    record_topic_changes(
        user=user, before=before, after=topics, source=ConsentSource.PREFERENCES
    )
    return profile


def link_council_tax(
    *, user, account_number: str, postcode: str
) -> CouncilTaxLink | None:
    """Link the account if the security check passes; None (and an audit entry)
    if it does not. The caller rate-limits attempts."""
    if get_council_tax_client().verify(account_number, postcode):
        link, _ = CouncilTaxLink.objects.get_or_create(
            user=user, account_number=account_number
        )
        AuditLogEntry.objects.create(
            action=AuditAction.COUNCIL_TAX_LINKED,
            actor=user,
            subject=user,
            detail={"link": link.pk},
        )
        return link
    AuditLogEntry.objects.create(
        action=AuditAction.COUNCIL_TAX_REFUSED, actor=user, subject=user
    )
    return None


def unlink_council_tax(*, link: CouncilTaxLink) -> None:
    forget_summary(link.account_number)
    link.delete()


def export_data(*, user) -> dict:
    data = build_export(user)
    AuditLogEntry.objects.create(
        action=AuditAction.DATA_EXPORTED, actor=user, subject=user
    )
    return data


def sign_out_everywhere(*, user, request) -> int:
    """End every session of ``user``, this one included (the caller logs out)."""
    count = end_sessions(user)
    AuditLogEntry.objects.create(
        action=AuditAction.SIGNED_OUT_EVERYWHERE,
        actor=user,
        subject=user,
        detail={"sessions": count},
    )
    return count


@transaction.atomic
def delete_account(*, user) -> None:
    """Erase the resident's personal data at once: every registered data handler
    (one per kind of record, from every app), then the sign-in itself
    (``myaccount.erasure``). The user row stays, anonymised and unable to sign in,
    so the records the council keeps and the audit log point at one pseudonymous
    account."""
    for handler in data_handlers():
        handler.erase(user)
    erase_sign_in(user)
    AuditLogEntry.objects.create(
        action=AuditAction.ACCOUNT_DELETED, actor=user, subject=user
    )


def record_staff_view(*, staff, resident, view: str) -> AuditLogEntry:
    return AuditLogEntry.objects.create(
        action=AuditAction.STAFF_VIEWED,
        actor=staff,
        subject=resident,
        detail={"view": view},
    )


def add_staff_note(*, staff, resident, text: str) -> StaffNote:
    note = StaffNote.objects.create(resident=resident, author=staff, text=text)
    AuditLogEntry.objects.create(
        action=AuditAction.STAFF_NOTE_ADDED,
        actor=staff,
        subject=resident,
        detail={"note": note.pk},
    )
    return note


@transaction.atomic
def create_organisation(
    *, user, name: str, registration_number: str = ""
) -> Organisation:
    organisation = Organisation.objects.create(
        name=name, registration_number=registration_number
    )
    OrganisationMembership.objects.create(
        organisation=organisation, user=user, role=MembershipRole.ADMIN
    )
    return organisation


class InvitationLimitReached(Exception):
    """This person or organisation has sent as many invitations as a day allows."""


INVITATION_SUBJECT = "You have been invited to join an organisation's account"


@transaction.atomic
def invite_to_organisation(*, organisation, email: str, invited_by, request=None):
    """Invite ``email`` to ``organisation`` and send the email, or neither.

    Invitations come from the council's address with a name a resident chose, so
    they are limited per inviting resident and per organisation in any 24 hours
    (``ORGANISATION_INVITATIONS_PER_USER_PER_DAY`` and ``…_PER_ORGANISATION_PER_DAY``;
    the organisation row is locked while counting, so two requests at once cannot
    both take the last place). The subject is fixed; the organisation's name is
    quoted in the body as data (``home.platform.sanitise.email_quote``). The row
    is written in the same transaction as the send: if the email cannot go, no
    invitation is left behind.
    """
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from home.platform.sanitise import email_quote

    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    get_user_model().objects.select_for_update().filter(pk=invited_by.pk).exists()
    since = timezone.now() - timedelta(days=1)
    recent = OrganisationInvitation.objects.filter(created_at__gte=since)
    if (
        recent.filter(invited_by=invited_by).count()
        >= settings.ORGANISATION_INVITATIONS_PER_USER_PER_DAY
        or recent.filter(organisation=organisation).count()
        >= settings.ORGANISATION_INVITATIONS_PER_ORGANISATION_PER_DAY
    ):
        raise InvitationLimitReached
    invitation = OrganisationInvitation.objects.create(
        organisation=organisation, email=email.lower(), invited_by=invited_by
    )
    path = reverse("myaccount:invitation_accept", args=[invitation.token])
    url = request.build_absolute_uri(path) if request else path
    context = {
        "organisation_name": email_quote(organisation.name),
        "site_name": settings.WAGTAIL_SITE_NAME,
        "url": url,
    }
    send_mail(
        subject=INVITATION_SUBJECT,
        message=render_to_string("myaccount/emails/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.email],
    )
    return invitation


@transaction.atomic
def accept_invitation(
    *, invitation: OrganisationInvitation, user
) -> OrganisationMembership:
    membership, _ = OrganisationMembership.objects.get_or_create(
        organisation=invitation.organisation,
        user=user,
        defaults={"role": MembershipRole.MEMBER},
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership


def leave_organisation(*, membership: OrganisationMembership) -> None:
    membership.delete()
