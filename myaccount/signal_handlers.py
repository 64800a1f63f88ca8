"""Thin handlers, connected in ``MyAccountConfig.ready()``."""

from allauth.account.models import EmailAddress

from myaccount.guest_claim import claim_guest_records


def claim_on_email_confirmed(sender, request, email_address, **kwargs):
    claim_guest_records(user=email_address.user, email=email_address.email)


def claim_on_signup(sender, request, user, **kwargs):
    """Social sign-ups arrive with addresses the provider already verified."""
    for address in EmailAddress.objects.filter(user=user, verified=True):
        claim_guest_records(user=user, email=address.email)
