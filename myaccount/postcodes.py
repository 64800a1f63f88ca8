"""UK postcode and phone number checks shared by forms and adapters."""

import re

# The format check GOV.UK services use (it does not prove the postcode exists).
POSTCODE_RE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$")
UK_PHONE_RE = re.compile(r"^(?:0|\+44)[1-9]\d{8,9}$")


def normalise_postcode(value: str) -> str:
    compact = re.sub(r"\s+", "", (value or "").upper())
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def is_valid_postcode(value: str) -> bool:
    return bool(POSTCODE_RE.match(normalise_postcode(value)))


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s\-().]", "", value or "")


def is_valid_uk_phone(value: str) -> bool:
    return bool(UK_PHONE_RE.match(normalise_phone(value)))
