"""Council tax accounts a resident has linked, and the demo back office's records."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class CouncilTaxLinkQuerySet(models.QuerySet):
    def for_resident(self, user):
        return self.filter(user=user)


class CouncilTaxLink(models.Model):
    """A council tax account the resident proved is theirs (account number plus the
    security check). Balances are read from the back office when shown, never stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="council_tax_links",
    )
    account_number = models.CharField(max_length=12, db_index=True)
    linked_at = models.DateTimeField(default=timezone.now)

    objects = CouncilTaxLinkQuerySet.as_manager()

    class Meta:
        ordering = ["linked_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "account_number"], name="link_account_once"
            )
        ]

    def __str__(self):
        return self.account_number


class DemoCouncilTaxAccount(models.Model):
    """Records of the local (demo) council tax back office.

    Used only when ``COUNCIL_TAX_BACKEND=local``; ``load_demo`` seeds them. They stand
    in for the revenues system, so they are not a resident's data.
    """

    account_number = models.CharField(max_length=12, unique=True)
    postcode = models.CharField(max_length=8)
    property_address = models.CharField(max_length=200)
    band = models.CharField(max_length=1)
    balance = models.DecimalField(max_digits=9, decimal_places=2)
    next_instalment_date = models.DateField(null=True, blank=True)
    next_instalment_amount = models.DecimalField(
        max_digits=9, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = "demo council tax account"

    def __str__(self):
        return self.account_number
