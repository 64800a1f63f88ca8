"""Business accounts: an organisation, its members, and invitations to join it."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from myaccount.enums import MembershipRole


class OrganisationQuerySet(models.QuerySet):
    def for_member(self, user):
        return self.filter(memberships__user=user)


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    registration_number = models.CharField(
        "Companies House number", max_length=8, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class OrganisationMembership(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organisation_memberships",
    )
    role = models.CharField(
        max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="one_membership_per_user"
            )
        ]

    def __str__(self):
        return f"{self.user_id} in {self.organisation_id}"

    @property
    def is_admin(self) -> bool:
        return self.role == MembershipRole.ADMIN


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class OrganisationInvitation(models.Model):
    """An invitation sent by email. Only a signed-in user with a verified email
    address equal to ``email`` can accept it, so the token alone grants nothing."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation to {self.organisation_id}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None
