"""UK formats residents type, read one way everywhere.

Postcodes, phone numbers, National Insurance numbers, vehicle registrations and the
council's own council tax account numbers. Each format has one parser
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


def normalise_phone_for_display(value: str | None) -> str:
    """A valid UK number as people write it: ``01632 960001``, ``+44 7700 900982``."""
    number = normalise_phone(value)
    if number.startswith("+44"):
        return f"+44 {number[3:7]} {number[7:]}"
    return f"{number[:5]} {number[5:]}"


# National Insurance numbers (HMRC's rules): two prefix letters (D, F, I, Q, U
# and V never used, O never second, and some pairs never allocated), six digits
# and a suffix letter A to D.
_NI_NUMBER = re.compile(
    r"^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$"
)


def normalise_ni_number(value: str | None) -> str:
    """``QQ 12 34 56 C`` style, or ``""`` when ``value`` is not a National
    Insurance number (spaces and case do not matter)."""
    compact = "".join((value or "").split()).upper()
    if not _NI_NUMBER.match(compact):
        return ""
    return f"{compact[:2]} {compact[2:4]} {compact[4:6]} {compact[6:8]} {compact[8]}"


# Vehicle registrations: the current format (AB12 CDE), the prefix (A123 BCD)
# and suffix (ABC 123D) formats and dateless numbers (ABC 1234, 1234 AB).
_VEHICLE_FORMATS = (
    re.compile(r"^([A-Z]{2}[0-9]{2})([A-Z]{3})$"),
    re.compile(r"^([A-Z][0-9]{1,3})([A-Z]{3})$"),
    re.compile(r"^([A-Z]{3})([0-9]{1,3}[A-Z])$"),
    re.compile(r"^([A-Z]{1,3})([0-9]{1,4})$"),
    re.compile(r"^([0-9]{1,4})([A-Z]{1,3})$"),
)


def normalise_vehicle_registration(value: str | None) -> str:
    """The registration as it is printed (``AB12 CDE``), or ``""`` when it is not
    one. Spaces, dashes and case do not matter."""
    compact = re.sub(r"[\s-]", "", value or "").upper()
    for pattern in _VEHICLE_FORMATS:
        match = pattern.match(compact)
        if match:
            return " ".join(match.groups())
    return ""


# The council's council tax account numbers: the one place their format is set
# (linking an account in My Account and the form builder's question use it).
COUNCIL_TAX_ACCOUNT_DIGITS = 8
COUNCIL_TAX_ACCOUNT_HINT = (
    f"It is {COUNCIL_TAX_ACCOUNT_DIGITS} digits, at the top of your council tax bill"
)
COUNCIL_TAX_ACCOUNT_ERROR = (
    f"Enter your {COUNCIL_TAX_ACCOUNT_DIGITS} digit council tax account number"
)


def normalise_council_tax_account(value: str | None) -> str:
    """The account number without spaces, or ``""`` when it is not one."""
    compact = "".join((value or "").split())
    if len(compact) == COUNCIL_TAX_ACCOUNT_DIGITS and compact.isascii():
        if compact.isdigit():
            return compact
    return ""
