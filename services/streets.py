"""The street gazetteer in use: nearest streets to a pin or a postcode, and the
ward a case lies in.

The whole gazetteer (a council has a few thousand streets) is kept in the cache as
one list, so a journey step costs one cache read and no query however many streets
or cases there are; distances are worked out in Python. ``load_streets`` replaces
the table and the cached list together.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.core.cache import cache
from django.db import transaction

DEMO_FILE = Path(__file__).resolve().parent / "data" / "streets.csv"
CACHE_KEY = "services:streets:v1"
NEAREST_COUNT = 5


@dataclass(frozen=True)
class GazetteerStreet:
    pk: int
    name: str
    latitude: float
    longitude: float
    ward_id: int | None
    ward_name: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.ward_name})" if self.ward_name else self.name


def all_streets() -> list[GazetteerStreet]:
    """Every street, by name; cached until the gazetteer is reloaded."""
    streets = cache.get(CACHE_KEY)
    if streets is None:
        from services.models import Street

        streets = [
            GazetteerStreet(
                pk=s.pk,
                name=s.name,
                latitude=float(s.latitude),
                longitude=float(s.longitude),
                ward_id=s.ward_id,
                ward_name=s.ward.name if s.ward else "",
            )
            for s in Street.objects.select_related("ward").order_by("name", "pk")
        ]
        cache.set(CACHE_KEY, streets, None)
    return streets


def get_street(pk) -> GazetteerStreet | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return next((s for s in all_streets() if s.pk == pk), None)


def distance_metres(lat1, lon1, lat2, lon2) -> float:
    """Good enough over a council's area (an equirectangular projection)."""
    lat1, lon1, lat2, lon2 = (float(v) for v in (lat1, lon1, lat2, lon2))
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6_371_000 * math.hypot(x, y)


def nearest_to_point(latitude, longitude, count=NEAREST_COUNT):
    return sorted(
        all_streets(),
        key=lambda s: distance_metres(latitude, longitude, s.latitude, s.longitude),
    )[:count]


def nearest_to_postcode(postcode: str, count=NEAREST_COUNT):
    """Streets of the postcode's ward, nearest its middle first (the ward table
    knows postcode areas, not points)."""
    from personalisation.wards import ward_id_for_postcode

    ward_id = ward_id_for_postcode(postcode)
    if ward_id is None:
        return []
    in_ward = [s for s in all_streets() if s.ward_id == ward_id]
    if not in_ward:
        return []
    lat = sum(s.latitude for s in in_ward) / len(in_ward)
    lon = sum(s.longitude for s in in_ward) / len(in_ward)
    return sorted(
        in_ward, key=lambda s: distance_metres(lat, lon, s.latitude, s.longitude)
    )[:count]


def ward_id_for(
    *, street_id=None, latitude=None, longitude=None, postcode: str = ""
) -> int | None:
    """The ward of a case: its street's, else the street nearest its pin, else its
    postcode's."""
    street = get_street(street_id) if street_id else None
    if street and street.ward_id:
        return street.ward_id
    if latitude is not None and longitude is not None:
        nearest = nearest_to_point(latitude, longitude, 1)
        if nearest and nearest[0].ward_id:
            return nearest[0].ward_id
    if postcode:
        from personalisation.wards import ward_id_for_postcode

        return ward_id_for_postcode(postcode)
    return None


@transaction.atomic
def load_streets(rows) -> int:
    """Replace the gazetteer with ``rows`` of (name, lat, lon, ward name)."""
    from personalisation.models import Ward
    from services.models import Street

    Street.objects.all().delete()
    wards: dict[str, Ward] = {}
    streets = []
    for name, lat, lon, ward_name in rows:
        ward_name = (ward_name or "").strip()
        if ward_name and ward_name not in wards:
            wards[ward_name], _ = Ward.objects.get_or_create(name=ward_name)
        streets.append(
            Street(
                name=name.strip(),
                latitude=Decimal(str(lat)),
                longitude=Decimal(str(lon)),
                ward=wards.get(ward_name),
            )
        )
    Street.objects.bulk_create(streets)
    cache.delete(CACHE_KEY)
    # Again once committed, so no request keeps a list read before the commit.
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
    return len(streets)


def read_csv(path) -> list[tuple[str, str, str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [
            (row["name"], row["lat"], row["lon"], row.get("ward", ""))
            for row in csv.DictReader(handle)
        ]
