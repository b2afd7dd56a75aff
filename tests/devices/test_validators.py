import pytest
from django.core.exceptions import ValidationError

from devices import inventory_codes
from devices.import_mapping import parse_category
from devices.validators import validate_business_id, validate_imei


@pytest.mark.parametrize("value", ["1629284-5", "0112038-9", "0204819-8"])
def test_valid_business_ids_pass(value):
    validate_business_id(value)


@pytest.mark.parametrize(
    "value", ["1629284-4", "1629284", "16292845", "1629284-", "ABCDEFG-1", "", "1629284-50"]
)
def test_invalid_business_ids_are_refused(value):
    with pytest.raises(ValidationError):
        validate_business_id(value)


@pytest.mark.parametrize("value", ["490154203237518", "352099001761481", "356938035643809"])
def test_valid_imeis_pass(value):
    validate_imei(value)


@pytest.mark.parametrize(
    "value",
    ["490154203237517", "35209900176148", "3520990017614811", "35209900176148A", ""],
)
def test_invalid_imeis_are_refused(value):
    with pytest.raises(ValidationError):
        validate_imei(value)


def test_every_single_digit_typo_and_neighbour_swap_of_a_code_is_refused():
    code = inventory_codes.make_code(4711)
    assert inventory_codes.is_valid(code)
    digits = code[2:]
    typos = set()
    for position, digit in enumerate(digits):
        for other in "0123456789":
            if other != digit:
                typos.add("DK" + digits[:position] + other + digits[position + 1 :])
    for position in range(len(digits) - 1):
        a, b = digits[position], digits[position + 1]
        if a != b:
            typos.add("DK" + digits[:position] + b + a + digits[position + 2 :])
    assert typos
    assert not any(inventory_codes.is_valid(typo) for typo in typos)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("laptop", "laptop"),
        ("Kannettava", "laptop"),
        ("KANNETTAVA TIETOKONE", "laptop"),
        ("puhelin", "phone"),
        ("Phone", "phone"),
        ("tabletti", "tablet"),
        ("Pöytäkone", "desktop"),
        ("muu", "other"),
        ("  tabletti ", "tablet"),
        ("televisio", None),
        ("", None),
    ],
)
def test_categories_accept_codes_and_finnish_names(raw, expected):
    assert parse_category(raw) == expected
