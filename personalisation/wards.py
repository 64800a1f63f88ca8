"""Which ward a postcode is in, from a lookup table councils load from a file.

The table maps postcode prefixes (an outward code such as ``GH2`` or a sector such
as ``GH1 2``) to wards; the longest matching prefix wins. It is loaded with
``manage.py load_wards <csv>`` (columns ``postcode_prefix,ward``) and seeded with the
demo council's wards. Each worker keeps the table in memory until it is reloaded.
"""

import csv
import secrets
import time
from pathlib import Path

from django.core.cache import cache
from django.db import transaction

from frontend.formats import parse_postcode

DEMO_FILE = Path(__file__).resolve().parent / "data" / "wards.csv"
VERSION_KEY = "personalisation:wards:version"


class _Table:
    version = None
    prefixes: dict[str, int] = {}


_table = _Table()


def _prefixes() -> dict[str, int]:
    from personalisation.models import WardPostcode

    version = cache.get(VERSION_KEY)
    if version is None:
        # Never loaded, or the cache was emptied: start a new version, so no worker
        # keeps a table read before.
        cache.add(VERSION_KEY, _new_version(), None)
        version = cache.get(VERSION_KEY)
    if version != _table.version:
        _table.prefixes = dict(WardPostcode.objects.values_list("prefix", "ward_id"))
        _table.version = version
    return _table.prefixes


def ward_id_for_postcode(postcode: str) -> int | None:
    """The ward of a postcode (as typed), or ``None`` for no postcode, or one the
    table does not cover."""
    code = parse_postcode(postcode)
    if code is None:
        return None
    prefixes = _prefixes()
    # Longest first: "GH1 2AB" tries the whole postcode, the sector "GH1 2", "GH1".
    for prefix in (str(code), code.sector, code.outward):
        ward = prefixes.get(prefix)
        if ward is not None:
            return ward
    return None


@transaction.atomic
def load_wards(rows) -> int:
    """Replace the lookup table with ``rows`` of (postcode_prefix, ward name)."""
    from personalisation.models import Ward, WardPostcode

    WardPostcode.objects.all().delete()
    wards = {}
    count = 0
    for prefix, name in rows:
        name = name.strip()
        if name not in wards:
            wards[name], _ = Ward.objects.get_or_create(name=name)
        WardPostcode.objects.create(prefix=normalise_prefix(prefix), ward=wards[name])
        count += 1
    cache.set(VERSION_KEY, _new_version(), None)
    # Again once committed, so no worker keeps what it read before the commit.
    transaction.on_commit(lambda: cache.set(VERSION_KEY, _new_version(), None))
    return count


def _new_version() -> str:
    return f"{time.time_ns():x}{secrets.token_hex(3)}"


def normalise_prefix(prefix: str) -> str:
    return " ".join(prefix.upper().split())


def read_csv(path) -> list[tuple[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [(row["postcode_prefix"], row["ward"]) for row in csv.DictReader(handle)]
