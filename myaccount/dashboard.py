"""What the My Account page shows, assembled once per request.

Blocks read from one ``Dashboard`` (put in the page context), so a page with every
block on it still asks each timeline source once: the query count depends on the
number of registered sources, never on a resident's history.
"""

from __future__ import annotations

from functools import cached_property

from myaccount.integrations.council_tax import CouncilTaxError, get_council_tax_client
from myaccount.models import CouncilTaxLink, Organisation, Profile
from myaccount.timeline import collect

# The most items any block shows; "see all" pages are for later issues.
TIMELINE_LIMIT = 20


class Dashboard:
    def __init__(self, user):
        self.user = user

    @cached_property
    def profile(self) -> Profile:
        return Profile.objects.filter(user=self.user).first() or Profile(user=self.user)

    @cached_property
    def organisations(self) -> list[Organisation]:
        return list(Organisation.objects.for_member(self.user))

    @cached_property
    def organisation_ids(self) -> list[int]:
        return [o.pk for o in self.organisations]

    @cached_property
    def timeline(self):
        return collect(
            user=self.user,
            organisation_ids=self.organisation_ids,
            limit=TIMELINE_LIMIT,
        )

    def items(self, kind: str | None = None, limit: int = 5):
        return [i for i in self.timeline if kind is None or i.kind == kind][:limit]

    def saved_journeys(self, request=None) -> list[dict]:
        """Requests the resident started and has not sent, to continue."""
        from services.saved_journeys import saved_for_resident

        return saved_for_resident(self.user, request=request)

    @cached_property
    def council_tax(self) -> list[dict]:
        """Each linked account with its balance, or an error message to show."""
        links = list(CouncilTaxLink.objects.for_resident(self.user))
        if not links:
            return []
        try:
            accounts = get_council_tax_client().summaries(
                [link.account_number for link in links]
            )
        except CouncilTaxError:
            accounts = {}
        return [
            {"link": link, "account": accounts.get(link.account_number)}
            for link in links
        ]

    @cached_property
    def has_mfa(self) -> bool:
        from allauth.mfa.models import Authenticator

        return Authenticator.objects.filter(user=self.user).exists()
