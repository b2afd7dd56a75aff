"""No Finnish personal identity code (henkilötunnus) may be stored anywhere in a client record."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

IDENTITY_CODE_REFUSED = _(
    "Kentässä näyttää olevan henkilötunnus. Henkilötunnusta ei saa tallentaa "
    "Digikierrättämöön: poista se."
)

# DDMMYY, century sign (+ 1800s; - Y X W V U 1900s; A B C D E F 2000s), individual
# number NNN, check character. The check character is not verified on purpose:
# a mistyped identity code is still an identity code.
IDENTITY_CODE_RE = re.compile(
    r"(?<![0-9A-Z])"
    r"(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}"
    r"[-+A-FU-Y]"
    r"\d{3}[0-9A-FHJ-NPR-Y]"
    r"(?![0-9A-Z])",
    re.IGNORECASE,
)


def contains_identity_code(value):
    return bool(value) and IDENTITY_CODE_RE.search(str(value)) is not None


def validate_no_identity_code(value):
    if contains_identity_code(value):
        raise ValidationError(IDENTITY_CODE_REFUSED, code="identity_code")
