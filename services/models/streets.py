"""The council's street gazetteer: street names with a point and a ward.

Loaded from a CSV file (``manage.py load_streets``; the demo council's file is
``services/data/streets.csv``). Journeys offer the streets nearest a map pin or a
postcode, and a case's ward comes from its street (``services.streets``).
"""

from django.db import models


class Street(models.Model):
    name = models.CharField(max_length=120)
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)
    ward = models.ForeignKey(
        "personalisation.Ward",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="streets",
    )

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["name", "ward"], name="unique_street_ward")
        ]

    def __str__(self) -> str:
        return self.name
