import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

BUSINESS_ID_INVALID = _("Y-tunnus ei ole kelvollinen: muoto on 1234567-8 ja tarkiste täsmää.")
IMEI_INVALID = _("IMEI ei ole kelvollinen: 15 numeroa, joiden tarkistenumero täsmää.")

_BUSINESS_ID_RE = re.compile(r"^(\d{6,7})-(\d)$")
_BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def business_id_check_digit(body):
    """Check digit of a Finnish business ID (Y-tunnus), or None if no valid one exists."""
    remainder = sum(int(d) * w for d, w in zip(body, _BUSINESS_ID_WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def validate_business_id(value):
    match = _BUSINESS_ID_RE.match(value or "")
    if not match:
        raise ValidationError(BUSINESS_ID_INVALID, code="business_id")
    body = match.group(1).zfill(7)
    if business_id_check_digit(body) != int(match.group(2)):
        raise ValidationError(BUSINESS_ID_INVALID, code="business_id")


def luhn_is_valid(digits):
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def validate_imei(value):
    if not re.fullmatch(r"\d{15}", value or "") or not luhn_is_valid(value):
        raise ValidationError(IMEI_INVALID, code="imei")
