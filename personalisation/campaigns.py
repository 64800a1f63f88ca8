"""The campaign a visitor arrived from (``utm_campaign`` or another query parameter).

The campaign rule matches the query parameter on the request itself. With the
visitor's consent to personalisation cookies (``personalisation.consent``) the
campaign is also remembered in a signed cookie, so later pages still know it;
without consent it counts for that request only. The cookie holds the latest value
of each campaign parameter the segment rules use, signed so a visitor cannot put
themselves into any segment they like by editing it (they could only by following
a campaign link, which is the point).
"""

from __future__ import annotations

import json

from django.core import signing

CAMPAIGN_COOKIE = "campaign"
CAMPAIGN_SALT = "personalisation.campaign"
CAMPAIGN_MAX_AGE = 60 * 60 * 24 * 30
MAX_VALUE_LENGTH = 100
MAX_PARAMETERS = 5


def remembered(request) -> dict[str, str]:
    """Campaigns remembered for this visitor (only with consent), read once."""
    found = getattr(request, "_campaigns", None)
    if found is None:
        from personalisation.consent import personalisation_allowed

        found = {}
        if CAMPAIGN_COOKIE in request.COOKIES and personalisation_allowed(request):
            try:
                raw = request.get_signed_cookie(
                    CAMPAIGN_COOKIE,
                    default=None,
                    salt=CAMPAIGN_SALT,
                    max_age=CAMPAIGN_MAX_AGE,
                )
                data = json.loads(raw) if raw else {}
            except (ValueError, signing.BadSignature):
                data = {}
            if isinstance(data, dict):
                found = {
                    str(k): str(v)
                    for k, v in list(data.items())[:MAX_PARAMETERS]
                    if isinstance(v, str)
                }
        request._campaigns = found
    return found


def arrived_from(request, parameter: str, campaign: str) -> bool:
    value = request.GET.get(parameter)
    if value is not None:
        return value.strip()[:MAX_VALUE_LENGTH] == campaign
    return remembered(request).get(parameter) == campaign


def campaign_parameters(request=None) -> frozenset[str]:
    """The query parameters campaign rules look at (from the cached definitions)."""
    from personalisation.rules import CampaignRule
    from personalisation.segments import request_version, segment_definitions

    version = request_version(request) if request is not None else None
    return frozenset(
        rule.parameter
        for segment in segment_definitions(version)
        for rule in segment.rules
        if isinstance(rule, CampaignRule)
    )


def to_remember(request) -> dict[str, str] | None:
    """The campaigns to store after this request, or ``None`` if nothing changes."""
    seen = {
        name: request.GET[name].strip()[:MAX_VALUE_LENGTH]
        for name in request.GET
        if request.GET.get(name, "").strip()
    }
    if not seen:
        return None
    wanted = {k: v for k, v in seen.items() if k in campaign_parameters(request)}
    if not wanted:
        return None
    current = remembered(request)
    merged = {**current, **wanted}
    if merged == current:
        return None
    return dict(list(merged.items())[-MAX_PARAMETERS:])


def remember(request, response, campaigns: dict[str, str]) -> None:
    response.set_signed_cookie(
        CAMPAIGN_COOKIE,
        json.dumps(campaigns, separators=(",", ":")),
        salt=CAMPAIGN_SALT,
        max_age=CAMPAIGN_MAX_AGE,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
