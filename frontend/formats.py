"""UK formats residents type, read one way everywhere.

Postcodes and phone numbers today; the form builder's other UK formats (National
Insurance number, vehicle registration) belong here too. Each format has one parser
that forgives what people type (lower case, missing or extra spaces) and says
whether the result is a real-looking value; forms, back-office clients, the ward
lookup and the admin search all use it, so "gh12bb" means the same thing on every
page.

Postcodes follow the pattern GOV.UK services check (an outward code of one or two
letters, a digit and an optional letter or digit; an inward code of a digit and two
letters) plus the special ``GIR 0AA``. The check is about shape: it does not prove
the postcode exists (the address lookup does that). BFPO numbers are not accepted:
they are not addresses in a council's area, and the address and waste look-ups
cannot find them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_POSTCODE = re.compile(r"^(GIR|[A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_UK_PHONE = re.compile(r"^(?:0|\+44)[1-9]\d{8,9}$")


@dataclass(frozen=True)
class Postcode:
    """A UK postcode in its standard form: ``outward`` + space + ``inward``."""

    outward: str  # the area and district, e.g. "GH1" (what a ward table may list)
    inward: str  # the sector digit and unit letters, e.g. "2BB"

    def __str__(self) -> str:
        return f"{self.outward} {self.inward}"

    @property
    def sector(self) -> str:
        """The outward code and the sector digit, e.g. "GH1 2"."""
        return f"{self.outward} {self.inward[0]}"


def parse_postcode(value: str | None) -> Postcode | None:
    """The postcode a resident typed, or ``None`` when it is not one.

    Case, spaces (none, several, or around it) and other whitespace do not matter:
    ``" gh1  2bb "`` and ``"GH12BB"`` both give ``GH1 2BB``. ``GIR 0AA`` is
    accepted; ``GIR 1AA`` is not.
    """
    compact = "".join((value or "").split()).upper()
    match = _POSTCODE.match(compact)
    if match is None:
        return None
    outward, inward = match.groups()
    if outward == "GIR" and inward != "0AA":
        return None
    return Postcode(outward, inward)


def normalise_postcode(value: str | None) -> str:
    """The standard form of a postcode (``"GH1 2BB"``), or ``""`` when ``value`` is
    not a postcode."""
    postcode = parse_postcode(value)
    return str(postcode) if postcode is not None else ""


def is_valid_postcode(value: str | None) -> bool:
    return parse_postcode(value) is not None


def normalise_phone(value: str | None) -> str:
    """A phone number without the spaces, dashes, dots and brackets people type."""
    return re.sub(r"[\s\-().]", "", value or "")


def is_valid_uk_phone(value: str | None) -> bool:
    """A UK landline or mobile number, national (``01632 960 001``) or
    international (``+44 7700 900982``) form."""
    return bool(_UK_PHONE.match(normalise_phone(value)))
