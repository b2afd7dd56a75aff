"""Inventory codes: `DK` + a six-digit running number + a Damm check digit.

Digits only, so a code is quick to type and compact in Code128. The Damm check
digit catches every single mistyped digit and every swap of two neighbouring
digits, so a typo is refused instead of opening another device.
"""

import re

PREFIX = "DK"
BODY_DIGITS = 6
_CODE_RE = re.compile(rf"^{PREFIX}(\d{{{BODY_DIGITS},}})(\d)$")

# Damm's totally anti-symmetric quasigroup of order 10.
_DAMM_TABLE = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)


def damm_digit(digits):
    interim = 0
    for char in digits:
        interim = _DAMM_TABLE[interim][int(char)]
    return interim


def make_code(number):
    body = f"{number:0{BODY_DIGITS}d}"
    return f"{PREFIX}{body}{damm_digit(body)}"


def normalise(raw):
    """Upper-case and drop spaces and dashes, as people and scanners type them."""
    return re.sub(r"[\s\-]", "", raw or "").upper()


def is_valid(code):
    match = _CODE_RE.match(code)
    return bool(match) and damm_digit(match.group(1) + match.group(2)) == 0
