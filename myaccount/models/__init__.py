"""My Account models, re-exported so imports never change as modules split."""

from myaccount.models.audit import AuditLogEntry
from myaccount.models.bulletins import Bulletin, ConsentSource, TopicConsent
from myaccount.models.council_tax import CouncilTaxLink, DemoCouncilTaxAccount
from myaccount.models.messages import ResidentMessage, StaffNote
from myaccount.models.organisations import (
    Organisation,
    OrganisationInvitation,
    OrganisationMembership,
)
from myaccount.models.pages import MyAccountPage
from myaccount.models.profiles import Profile
from myaccount.models.segment_rules import CouncilTaxLinkedRule

__all__ = [
    "AuditLogEntry",
    "Bulletin",
    "ConsentSource",
    "CouncilTaxLink",
    "CouncilTaxLinkedRule",
    "DemoCouncilTaxAccount",
    "MyAccountPage",
    "Organisation",
    "OrganisationInvitation",
    "OrganisationMembership",
    "Profile",
    "ResidentMessage",
    "StaffNote",
    "TopicConsent",
]
