"""UK formats residents type: one reading of a postcode for every form and lookup."""

import pytest

from frontend.formats import (
    Postcode,
    is_valid_postcode,
    is_valid_uk_phone,
    normalise_phone,
    normalise_postcode,
    parse_postcode,
)


@pytest.mark.parametrize(
    ("typed", "standard"),
    [
        ("GH1 2BB", "GH1 2BB"),
        ("gh1 2bb", "GH1 2BB"),  # lower case
        ("GH12BB", "GH1 2BB"),  # no space
        ("  gh1   2bb ", "GH1 2BB"),  # extra spaces around and inside
        ("GH1\t2BB", "GH1 2BB"),  # a tab pasted from a spreadsheet
        ("G H 1 2 B B", "GH1 2BB"),  # spaced out
        ("sw1a1aa", "SW1A 1AA"),  # letter at the end of the district
        ("M11AE", "M1 1AE"),  # one-letter area
        ("EC1A 1BB", "EC1A 1BB"),
        ("B33 8TH", "B33 8TH"),  # two-digit district
        ("gir0aa", "GIR 0AA"),  # the special Girobank postcode
    ],
)
def test_a_postcode_is_read_however_it_is_typed(typed, standard):
    assert normalise_postcode(typed) == standard
    assert is_valid_postcode(typed)


@pytest.mark.parametrize(
    "typed",
    [
        "",
        None,
        "   ",
        "GH1",  # outward code only
        "GH1 2B",  # unit cut short
        "GH1 2BBB",
        "12 2BB",  # no area letters
        "GHA 2BB",  # no district digit
        "GH1 BBB",  # no sector digit
        "GH1-2BB",  # punctuation is not ignored
        "GIR 1AA",  # only GIR 0AA exists
        "BFPO 1234",  # British Forces Post Office numbers are not accepted
        "<script>",
    ],
)
def test_what_is_not_a_postcode_is_refused(typed):
    assert parse_postcode(typed) is None
    assert normalise_postcode(typed) == ""
    assert not is_valid_postcode(typed)


def test_a_postcode_has_an_outward_code_and_a_sector():
    code = parse_postcode("sw1a1aa")
    assert code == Postcode(outward="SW1A", inward="1AA")
    assert code.sector == "SW1A 1"
    assert str(code) == "SW1A 1AA"
    assert parse_postcode("GIR 0AA").outward == "GIR"


@pytest.mark.parametrize(
    ("typed", "valid"),
    [
        ("01632 960 001", True),
        ("(01632) 960001", True),
        ("07700-900-982", True),
        ("+44 7700 900982", True),
        ("01632", False),
        ("00 44 7700 900982", False),
        ("phone me", False),
    ],
)
def test_uk_phone_numbers_are_checked_without_their_punctuation(typed, valid):
    assert is_valid_uk_phone(typed) is valid


def test_phone_punctuation_is_removed():
    assert normalise_phone(" (01632) 960-001 ") == "01632960001"


@pytest.mark.parametrize(
    ("typed", "standard"),
    [
        ("ab123456c", "AB 12 34 56 C"),
        ("AB 12 34 56 C", "AB 12 34 56 C"),
        ("QQ 12 34 56 C", ""),  # Q is never a prefix letter (GOV.UK's example)
        ("AO123456C", ""),  # O is never the second letter
        ("GB123456A", ""),  # a pair never allocated
        ("AB123456E", ""),  # suffix is A to D
        ("AB12345C", ""),  # five digits
    ],
)
def test_national_insurance_numbers(typed, standard):
    from frontend.formats import normalise_ni_number

    assert normalise_ni_number(typed) == standard


@pytest.mark.parametrize(
    ("typed", "standard"),
    [
        ("cu57abc", "CU57 ABC"),  # current format
        ("CU57 ABC", "CU57 ABC"),
        ("a123-bcd", "A123 BCD"),  # prefix
        ("abc123d", "ABC 123D"),  # suffix
        ("ABC 1234", "ABC 1234"),  # dateless
        ("1234 AB", "1234 AB"),
        ("ABCDEFGH", ""),
        ("12345", ""),
    ],
)
def test_vehicle_registrations(typed, standard):
    from frontend.formats import normalise_vehicle_registration

    assert normalise_vehicle_registration(typed) == standard


@pytest.mark.parametrize(
    ("typed", "standard"),
    [("12345678", "12345678"), ("1234 5678", "12345678"), ("1234567", ""),
     ("1234567A", ""), ("١٢٣٤٥٦٧٨", "")],
)  # fmt: skip
def test_council_tax_account_numbers(typed, standard):
    from frontend.formats import normalise_council_tax_account

    assert normalise_council_tax_account(typed) == standard


def test_phone_numbers_are_written_as_people_write_them():
    from frontend.formats import normalise_phone_for_display

    assert normalise_phone_for_display("07700900982") == "07700 900982"
    assert normalise_phone_for_display("+44 7700-900982") == "+44 7700 900982"
