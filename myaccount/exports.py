"""Everything the council holds about a resident, as plain data (JSON-ready)."""

from __future__ import annotations

from django.utils import timezone

from allauth.account.models import EmailAddress

from myaccount.models import (
    AuditLogEntry,
    CouncilTaxLink,
    OrganisationMembership,
    Profile,
)
from myaccount.registry import data_handlers


def _iso(value):
    return value.isoformat() if value else None


def build_export(user) -> dict:
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount
    from allauth.usersessions.models import UserSession

    profile = Profile.objects.filter(user=user).first()
    sections = {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user)
        ],
        "profile": None
        if profile is None
        else {
            "phone": profile.phone,
            "address": {
                "line_1": profile.address_line_1,
                "line_2": profile.address_line_2,
                "town": profile.town,
                "postcode": profile.postcode,
                "uprn": profile.uprn,
            },
            "language": profile.language,
        },
        "contact_preferences": None
        if profile is None
        else {
            "email": profile.contact_by_email,
            "sms": profile.contact_by_sms,
            "topics": profile.contact_topics,
        },
        "organisations": [
            {
                "name": m.organisation.name,
                "registration_number": m.organisation.registration_number,
                "role": m.role,
                "joined_at": _iso(m.joined_at),
            }
            for m in OrganisationMembership.objects.filter(user=user).select_related(
                "organisation"
            )
        ],
        "council_tax_accounts": [
            {"account_number": link.account_number, "linked_at": _iso(link.linked_at)}
            for link in CouncilTaxLink.objects.for_resident(user)
        ],
        "social_accounts": [
            {"provider": s.provider, "uid": s.uid, "date_joined": _iso(s.date_joined)}
            for s in SocialAccount.objects.filter(user=user)
        ],
        "two_factor_authentication": [
            {"type": a.type, "created_at": _iso(a.created_at)}
            for a in Authenticator.objects.filter(user=user)
        ],
        "sessions": [
            {
                "ip": s.ip,
                "user_agent": s.user_agent,
                "created_at": _iso(s.created_at),
                "last_seen_at": _iso(s.last_seen_at),
            }
            for s in UserSession.objects.filter(user=user)
        ],
        "access_log": [
            {
                "action": e.get_action_display(),
                "by_you": e.actor_id == user.pk,
                "at": _iso(e.created_at),
            }
            for e in AuditLogEntry.objects.filter(subject=user)
        ],
    }
    for handler in data_handlers():
        if handler.export is not None:
            sections[handler.key] = handler.export(user)
    return {
        "format": "guildhall-resident-export/1",
        "generated_at": timezone.now().isoformat(),
        "sections": sections,
    }


SECTION_LABELS = {
    "account": "Your account",
    "email_addresses": "Email addresses",
    "profile": "Profile",
    "contact_preferences": "Contact preferences",
    "organisations": "Organisations",
    "council_tax_accounts": "Council tax accounts",
    "social_accounts": "Sign-in with other accounts",
    "two_factor_authentication": "Two-factor authentication",
    "sessions": "Where you are signed in",
    "access_log": "Who has looked at or changed your record",
}


def section_label(key: str) -> str:
    for handler in data_handlers():
        if handler.key == key:
            return handler.label
    return SECTION_LABELS.get(key, key.replace("_", " ").capitalize())
