"""THE table from a wipe tool's method name to the NIST SP 800-88 category and technique.

One row per method the tools name. Nothing is guessed: a method not in the table is refused
with a message naming it (UnknownMethod), and so is a method that only checks a disc
(nwipe's "Verify Zeros" / "Verify Ones": a verification run is not an erasure, so it is never
recorded as one; the run that erased the disc is).

Category, as NIST SP 800-88 Rev. 1 Appendix A (Table A-8 for ATA hard disc and solid state
drives, Table A-9 for NVMe) sets it:
- Any overwrite with a software tool is **Clear**, however many passes or patterns
  (Gutmann's 35 passes included): Table A-8 lists "overwrite media by using organizationally
  approved and tested overwriting technologies" under Clear for ATA HDDs and SSDs; Purge needs
  the drive's own firmware (ATA SANITIZE / SECURE ERASE, NVMe Sanitize / Format) or
  cryptographic erase.
- eReuse Workbench's EraseSectors is an overwrite followed by a check of every sector: it is
  still an overwrite, so Clear, but with full verification. EraseBasic overwrites without
  reading back (verification none). The steps (StepZero, StepRandom) are the patterns written;
  they do not change the category and are kept in the erasure's notes.
- nwipe's firmware sanitize methods (merged after 0.42) are **Purge**: "Secure Erase (Block)" and
  "Secure Erase (Overwrite)" are ATA SANITIZE / SECURE ERASE on an ATA disc and NVMe Sanitize
  on an NVMe disc; "Secure Erase (Crypto)" is a cryptographic erase.

Verification of nwipe's overwrites comes from the run's own setting (verify last or all pass:
full; off: none), not from this table; Workbench's comes from the table.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from devices.models.processing import ErasureMethod, ErasureTechnique

NWIPE = "nwipe"
WORKBENCH = "Workbench"

# The bus decides which firmware command a "Secure Erase" was.
BY_BUS = "by_bus"

UNKNOWN_METHOD = _(
    "Tyhjennysmenetelmää ”%(method)s” (%(tool)s) ei tunneta, joten sen NIST-luokkaa ei voi "
    "päätellä. Tiedostoa ei tuotu: kirjaa tyhjennys käsin tai pyydä koordinaattoria lisäämään "
    "menetelmä taulukkoon (devices/evidence/methods.py)."
)
VERIFICATION_ONLY = _(
    "Menetelmä ”%(method)s” (%(tool)s) vain tarkistaa levyn, se ei tyhjennä sitä. Tiedostoa ei "
    "tuotu: tuo sen ajon raportti, joka tyhjensi levyn."
)
NO_METHOD = _("Raportista ei löydy tyhjennysmenetelmää (%(tool)s), joten sitä ei voi tuoda.")


class MethodRefused(ValidationError):
    """A method the table does not know, or one that only verifies; the message names it."""


@dataclass(frozen=True)
class MethodRow:
    category: str  # ErasureMethod value
    technique: str  # ErasureTechnique value, or BY_BUS
    # None: the run's own verification setting decides (nwipe); else the tool's fixed one.
    verification: str | None = None
    verification_only: bool = False


CLEAR_OVERWRITE = MethodRow(ErasureMethod.CLEAR, ErasureTechnique.OVERWRITE)
VERIFY_ONLY = MethodRow(ErasureMethod.CLEAR, ErasureTechnique.OVERWRITE, verification_only=True)

# (tool, method name in lower case) -> row. nwipe's names are its method labels
# (src/method.c nwipe_method_label); a "(R)" or "(S)" suffix (reverse / scatter order, 0.42)
# is taken off before the look-up.
METHODS = {
    (NWIPE, "fill with zeros"): CLEAR_OVERWRITE,
    (NWIPE, "fill with ones"): CLEAR_OVERWRITE,
    (NWIPE, "prng stream"): CLEAR_OVERWRITE,
    (NWIPE, "dod 5220.22-m"): CLEAR_OVERWRITE,
    (NWIPE, "dod short"): CLEAR_OVERWRITE,
    (NWIPE, "gutmann wipe"): CLEAR_OVERWRITE,
    (NWIPE, "rcmp tssit ops-ii"): CLEAR_OVERWRITE,
    (NWIPE, "hmg is5 enhanced"): CLEAR_OVERWRITE,
    (NWIPE, "schneier wipe"): CLEAR_OVERWRITE,
    (NWIPE, "bmb21-2019"): CLEAR_OVERWRITE,
    (NWIPE, "verify zeros"): VERIFY_ONLY,
    (NWIPE, "verify ones"): VERIFY_ONLY,
    (NWIPE, "secure erase (block)"): MethodRow(ErasureMethod.PURGE, BY_BUS, "full"),
    (NWIPE, "secure erase (overwrite)"): MethodRow(ErasureMethod.PURGE, BY_BUS, "full"),
    (NWIPE, "secure erase (crypto)"): MethodRow(
        ErasureMethod.PURGE, ErasureTechnique.CRYPTO_ERASE, "full"
    ),
    (WORKBENCH, "erasebasic"): MethodRow(ErasureMethod.CLEAR, ErasureTechnique.OVERWRITE, "none"),
    (WORKBENCH, "erasesectors"): MethodRow(ErasureMethod.CLEAR, ErasureTechnique.OVERWRITE, "full"),
}


@dataclass(frozen=True)
class Classification:
    category: str
    technique: str
    verification: str


def _key(tool, method):
    name = " ".join(method.split()).lower()
    for suffix in (" (r)", " (s)"):
        name = name.removesuffix(suffix)
    return (WORKBENCH if tool.lower().startswith("workbench") else NWIPE, name)


def classify(*, tool, method, medium_kind, verification):
    """The category, technique and verification of `method` run by `tool` on a medium of
    `medium_kind`; MethodRefused when the table does not know it or it only verifies."""
    if not method:
        raise MethodRefused(NO_METHOD, code="no_method", params={"tool": tool})
    row = METHODS.get(_key(tool, method))
    params = {"method": method, "tool": tool}
    if row is None:
        raise MethodRefused(UNKNOWN_METHOD, code="unknown_method", params=params)
    if row.verification_only:
        raise MethodRefused(VERIFICATION_ONLY, code="verification_only", params=params)
    technique = row.technique
    if technique == BY_BUS:
        technique = (
            ErasureTechnique.NVME_SANITIZE
            if medium_kind == "nvme"
            else ErasureTechnique.ATA_SECURE_ERASE
        )
    return Classification(
        category=str(row.category),
        technique=str(technique),
        verification=row.verification or verification,
    )


def table_rows():
    """The table for documentation and tests: (tool, method, category, technique, verification)."""
    for (tool, name), row in METHODS.items():
        yield tool, name, row
