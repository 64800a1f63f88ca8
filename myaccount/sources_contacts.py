"""The resident's contact record (``services.Contact``: their name, email
addresses and phone numbers as the council holds them, and their consents) in
their data download and in account deletion."""

from __future__ import annotations

from myaccount.registry import DataHandler, register_data_handler
from services.models import Consent, Contact


def export_contact(user) -> list[dict]:
    contact = Contact.objects.filter(user=user).first()
    if contact is None:
        return []
    return [
        {
            "name": contact.name,
            "details": [
                {"kind": p.get_kind_display(), "value": p.value, "verified": p.verified}
                for p in contact.points.all()
            ],
            "consents": [
                {
                    "purpose": c.get_purpose_display(),
                    "granted": c.granted,
                    "at": c.recorded_at.isoformat(),
                }
                for c in Consent.objects.filter(contact=contact)
            ],
        }
    ]


def erase_contact(user) -> None:
    from services.erasure import erase_contact as erase

    for contact in Contact.objects.filter(user=user):
        erase(contact)


def register() -> None:
    register_data_handler(
        DataHandler(
            key="contact",
            label="Your details as the council holds them",
            export=export_contact,
            erase=erase_contact,
            models=("services.Contact", "services.Consent"),
        )
    )


register()  # on import, from MyAccountConfig.ready()
