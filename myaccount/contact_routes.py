"""The resident's contact preferences, as the outbox reads them
(``services.contact_routes``). Registered in ``MyAccountConfig.ready()``."""

from __future__ import annotations

import re

from frontend.formats import normalise_phone
from myaccount.models import Profile
from services.contact_routes import ContactRoute

# Texts go to UK mobiles only: 07…, +447… or 00447….
_MOBILE = re.compile(r"^(?:07|\+447|00447)\d{9}$")


def is_mobile(phone: str) -> bool:
    return bool(_MOBILE.match(normalise_phone(phone)))


def route_for(user) -> ContactRoute:
    profile = (
        Profile.objects.filter(user=user)
        .only("phone", "contact_by_email", "contact_by_sms")
        .first()
    )
    if profile is None:
        return ContactRoute()
    sms_to = normalise_phone(profile.phone) if profile.contact_by_sms else ""
    if sms_to and not is_mobile(sms_to):
        sms_to = ""
    # Service messages about the resident's own requests always reach them: by
    # email when they chose it, or when a text cannot be sent.
    return ContactRoute(email=profile.contact_by_email or not sms_to, sms_to=sms_to)
