"""No Finnish personal identity code (henkilötunnus) may be stored anywhere in a client record."""

import re
import unicodedata

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


# Invisible characters a paste brings along (zero-width space, non-joiner, joiner, word
# joiner, byte order mark, soft hyphen): dropped, so they cannot split a code.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))

# Dashes Word and Outlook autocorrect a hyphen into, or a paste brings: U+2010-U+2015,
# minus, small em dash, small and full-width hyphen-minus (NFKC folds some of them already).
DASHES = dict.fromkeys(
    map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-"
)

# "010190 - 123A": spaces typed around a hyphen or plus between digits are dropped.
SPACED_SIGN_RE = re.compile(r"(?<=\d)\s*([-+])\s*(?=\d)")


def identity_code_spelling(value):
    """The text as the identity-code check reads it; only for the check, never stored."""
    text = unicodedata.normalize("NFKC", str(value)).translate(INVISIBLE).translate(DASHES)
    return SPACED_SIGN_RE.sub(r"\1", text)


def contains_identity_code(value):
    return bool(value) and IDENTITY_CODE_RE.search(identity_code_spelling(value)) is not None


def validate_no_identity_code(value):
    if contains_identity_code(value):
        raise ValidationError(IDENTITY_CODE_REFUSED, code="identity_code")
