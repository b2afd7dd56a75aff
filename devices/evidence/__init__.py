"""Wipe-tool reports read as evidence of erasure: nwipe logs and PDF reports, eReuse Workbench
snapshots. `read_report(name, content)` tells the kind by the content (never the file name's
extension) and returns an ErasureReport; devices.evidence.methods maps the tools' method names
to the NIST SP 800-88 category and technique."""

from django.utils.translation import gettext_lazy as _

from devices.evidence import nwipe_log, nwipe_pdf, workbench
from devices.evidence.report import (
    NWIPE_LOG,
    NWIPE_PDF,
    WORKBENCH,
    ErasureReport,
    EvidenceParseError,
    MediumResult,
)

UNKNOWN_KIND = _(
    "tiedosto ei ole nwipen loki, nwipen PDF-raportti eikä eReuse Workbenchin tilannekuva."
)


def detect_kind(content):
    """NWIPE_PDF, WORKBENCH, NWIPE_LOG or None, from the first bytes of the content."""
    head = content[:4096].lstrip()
    if head.startswith(b"%PDF-"):
        return NWIPE_PDF
    if head.startswith(b"{"):
        return WORKBENCH
    if b"Found /dev/" in content or b"nwipe" in head.lower() or b"Nwipe" in content[-4096:]:
        return NWIPE_LOG
    return None


def read_report(name, content):
    """The report in `content` (bytes); EvidenceParseError saying why when it is none."""
    kind = detect_kind(content)
    if kind is None:
        raise EvidenceParseError(UNKNOWN_KIND, code="unknown_kind")
    if kind == NWIPE_PDF:
        return nwipe_pdf.parse(content, name=name)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # nwipe writes ASCII; a stray Latin-1 byte in a model name must not lose the log.
        text = content.decode("latin-1")
    if kind == WORKBENCH:
        return workbench.parse(text)
    return nwipe_log.parse(text)


__all__ = [
    "NWIPE_LOG",
    "NWIPE_PDF",
    "WORKBENCH",
    "ErasureReport",
    "EvidenceParseError",
    "MediumResult",
    "detect_kind",
    "read_report",
]
