"""The resident's profile: what the council may use to contact and serve them."""

from django.conf import settings
from django.db import models

from myaccount.enums import ContactTopic, Language


class ProfileQuerySet(models.QuerySet):
    def for_resident(self, user):
        return self.filter(user=user)


class Profile(models.Model):
    """One per user, created on first use (``Profile.objects.for_user``).

    The name and email stay on Django's user (allauth signs in with the email);
    everything else a resident manages lives here. The address is the one chosen from
    the address lookup, with its UPRN so back-office systems can match the property.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="resident_profile",
    )
    phone = models.CharField(max_length=20, blank=True)
    address_line_1 = models.CharField(max_length=100, blank=True)
    address_line_2 = models.CharField(max_length=100, blank=True)
    town = models.CharField(max_length=60, blank=True)
    postcode = models.CharField(max_length=8, blank=True, db_index=True)
    uprn = models.CharField("UPRN", max_length=12, blank=True, db_index=True)
    language = models.CharField(
        max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    contact_by_email = models.BooleanField(default=True)
    contact_by_sms = models.BooleanField(default=False)
    contact_topics = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        permissions = [
            (
                "view_single_customer_view",
                "Can find residents and see their single customer view",
            )
        ]

    def __str__(self):
        return f"Profile of user {self.user_id}"

    @property
    def address_lines(self) -> list[str]:
        return [
            line
            for line in (
                self.address_line_1,
                self.address_line_2,
                self.town,
                self.postcode,
            )
            if line
        ]

    @property
    def has_address(self) -> bool:
        return bool(self.uprn and self.address_line_1)

    @property
    def topic_labels(self) -> list[str]:
        labels = dict(ContactTopic.choices)
        return [labels[t] for t in self.contact_topics if t in labels]
