"""nwipe's PDF reports (src/create_single_disc_pdf.c, src/create_system_multi_disc_pdf.c),
read as text with pypdf.

- The disc report, "Disk Erasure Report": page 1's labelled fields. Each label is found in
  the text and its value is what follows it up to the next label on that line: Make/Model,
  Serial, Bus, Size(Apparent) / Size(Real), Start time, End time, Status (ERASED / FAILED /
  ABORTED / INSANITY), Method, Verify Pass (Last / All / None), HPA/DCO (status), Errors
  (pass/sync/verify[/retries]), Information (nwipe's warnings), and System S/N (header).
  The serial is also in the file name, `nwipe_report_<time>_Model_<model>_Serial_<serial>_...`,
  used when the page's text has none.
- The system report, "System Erasure Report": the DMI page's system-serial-number /
  chassis-serial-number (or the file name's `host-SN-<serial>`), and one disc per row of the
  "Disk Erasure status" table whose text holds a serial, a status word and two timestamps.
  A system report whose rows cannot be read is refused: import the disc reports or the log.
Only page 1 of a disc report is read (the later pages are smartctl output).
"""

import datetime
import io
import re

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from devices.evidence.methods import METHODS, NWIPE
from devices.evidence.report import (
    NWIPE_PDF,
    ErasureReport,
    EvidenceParseError,
    MediumResult,
    add_serial,
    gigabytes,
    kind_from_bus,
    real_serial,
)

# Reading a hostile PDF is bounded: page 1 (disc report) or the first pages (system report).
SYSTEM_REPORT_PAGES = 12

LABELS = {
    "model": r"Make/Model",
    "serial": r"Serial(?: Number)?",
    "bus": r"Bus",
    "size_apparent": r"Size\s*\(Apparent\)",
    "size_real": r"Size\s*\(Real\)",
    "start": r"Start time",
    "end": r"End time",
    "duration": r"Duration",
    "status": r"Status",
    "method": r"Method",
    "prng": r"PRNG algorithm",
    "final_pass": r"Final Pass",
    "verify": r"Verify Pass",
    "bytes": r"\*?Bytes Erased",
    "rounds": r"Rounds(?:\s*\([^)]*\))?",
    "hpa_size": r"HPA/DCO Size",
    "hpa": r"HPA/DCO(?: status)?",
    "throughput": r"Throughput",
    "errors": r"Errors(?:\s*\([^)]*\))?",
    "information": r"Information",
    "system_serial": r"System S/N",
    "system_uuid": r"System UUID",
    "disk_model": r"Disk Model",
    "disk_serial": r"Disk S/N",
    "technician": r"Name/ID",
}
LABEL = re.compile(
    r"(?<![\w/])(?:" + "|".join(f"(?P<{key}>{rx})" for key, rx in LABELS.items()) + r")\s*:"
)
# Section titles of page 1: never a field's value.
HEADINGS = (
    "Organisation Performing",
    "Customer Details",
    "Disk Information",
    "Disk Erasure Details",
    "Technician/Operator ID",
)
STAMP = re.compile(r"(\d{4})[/-](\d{2})[/-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
FILE_SERIAL = re.compile(r"_Serial_(?P<serial>.+?)_device_", re.IGNORECASE)
FILE_HOST_SN = re.compile(r"host-SN-(?P<serial>[^_.]+)", re.IGNORECASE)
DMI = re.compile(r"(system|chassis)-serial-number\s*[:=]?\s*(?P<value>\S+)", re.IGNORECASE)
STATUS_WORD = re.compile(r"\b(ERASED|FAILED|ABORTED|INSANITY)\b")
HIDDEN_NOT_ERASED = re.compile(r"hidden sectors\s+NOT\s+erased", re.IGNORECASE)
HPA_UNKNOWN = re.compile(r"HPA/DCO data unavailable|can ?not determine hidden", re.IGNORECASE)

NOT_AN_NWIPE_PDF = _("PDF ei ole nwipen raportti (ei otsikkoa ”Disk Erasure Report”).")
PDF_UNREADABLE = _("PDF-tiedostoa ei voitu lukea.")
NO_SERIAL = _("raportista ei löydy levyn sarjanumeroa.")
NO_TIMES = _("raportista ei löydy tyhjennyksen alku- ja loppuaikaa.")
SYSTEM_ROWS_UNREADABLE = _(
    "järjestelmäraportin levytaulukkoa ei voitu lukea. Tuo saman ajon levykohtaiset raportit "
    "(nwipe_report_...pdf) tai loki."
)
STATUS_NOT_ERASED = _("nwipen tila %(status)s")
ERRORS_REPORTED = _("nwipe ilmoitti virheitä (%(label)s): %(value)s")
HIDDEN_SECTORS = _("piilotetut sektorit (HPA/DCO) jäivät tyhjentämättä")
HPA_UNKNOWN_NOTE = _("HPA/DCO-tietoa ei saatu: piilotettujen sektorien tilaa ei voitu todeta")


def page_texts(content, *, pages):
    """The text of the PDF's first `pages` pages; EvidenceParseError when pypdf cannot read it."""
    try:
        reader = PdfReader(io.BytesIO(content))
        return [page.extract_text() or "" for page in reader.pages[:pages]]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        raise EvidenceParseError(PDF_UNREADABLE, code="pdf_unreadable") from None


def fields(text):
    """Every labelled value of the page: {key: value}, the first of each label."""
    found = {}
    lines = text.splitlines()
    for index, line in enumerate(lines):
        matches = list(LABEL.finditer(line))
        for position, match in enumerate(matches):
            end = matches[position + 1].start() if position + 1 < len(matches) else len(line)
            value = line[match.end() : end].strip()
            if not value and position + 1 == len(matches) and index + 1 < len(lines):
                following = lines[index + 1]
                if not LABEL.search(following) and not following.strip().startswith(HEADINGS):
                    value = following.strip()
            found.setdefault(match.lastgroup, value)
    return found


def _when(text):
    match = STAMP.search(text or "")
    if not match:
        return None
    zone = timezone.get_default_timezone()
    return datetime.datetime(*(int(part) for part in match.groups()), tzinfo=zone)


def _verification(text):
    text = (text or "").strip().lower()
    return "full" if text.startswith(("last", "all")) else "none"


def parse(content, *, name=""):
    """An nwipe PDF report's bytes -> ErasureReport; EvidenceParseError when it is not one."""
    first = page_texts(content, pages=1)
    text = first[0] if first else ""
    if "System Erasure Report" in text:
        return _system_report(content, name)
    if "Disk Erasure Report" not in text:
        raise EvidenceParseError(NOT_AN_NWIPE_PDF, code="not_nwipe_pdf")
    return _disc_report(text, name)


def _disc_report(text, name):
    values = fields(text)
    report = ErasureReport(kind=NWIPE_PDF, tool_name="nwipe", tool_version="")
    add_serial(report.system_serials, values.get("system_serial"))
    serial = real_serial(values.get("serial") or values.get("disk_serial"))
    if not serial and (match := FILE_SERIAL.search(name)):
        serial = real_serial(match["serial"])
    if not serial:
        raise EvidenceParseError(NO_SERIAL, code="no_serial")
    model = values.get("model") or values.get("disk_model") or ""
    bus = (values.get("bus") or "").split()[0] if values.get("bus") else ""
    medium = MediumResult(
        serial=serial,
        model=" ".join(model.split())[:100],
        kind=kind_from_bus(bus, model),
        capacity_gb=gigabytes(values.get("size_apparent") or values.get("size_real")),
        bus=bus,
        method=(values.get("method") or "").strip(),
        started_at=_when(values.get("start")),
        ended_at=_when(values.get("end")),
        verification=_verification(values.get("verify")),
    )
    if medium.started_at is None or medium.ended_at is None:
        raise EvidenceParseError(NO_TIMES, code="no_times")
    reasons = medium.failure_reasons
    status = STATUS_WORD.search(values.get("status") or "")
    status_word = status[1] if status else (values.get("status") or "?")
    if status_word != "ERASED":
        reasons.append(str(STATUS_NOT_ERASED % {"status": status_word}))
    errors = values.get("errors") or ""
    if any(int(n) for n in re.findall(r"\d+", errors)):
        reasons.append(str(ERRORS_REPORTED % {"label": "pass/sync/verify", "value": errors}))
    hpa = (values.get("hpa") or "").lower()
    information = values.get("information") or ""
    if HIDDEN_NOT_ERASED.search(text) or hpa.startswith("enabled"):
        reasons.append(str(HIDDEN_SECTORS))
    elif HPA_UNKNOWN.search(text) or hpa.startswith("unknown"):
        medium.notes.append(str(HPA_UNKNOWN_NOTE))
    if information and not HIDDEN_NOT_ERASED.search(information):
        medium.notes.append(information[:200])
    medium.passed = not reasons
    report.media.append(medium)
    return report


def _system_report(content, name):
    texts = page_texts(content, pages=SYSTEM_REPORT_PAGES)
    whole = "\n".join(texts)
    report = ErasureReport(kind=NWIPE_PDF, tool_name="nwipe", tool_version="")
    for match in DMI.finditer(whole):
        add_serial(report.system_serials, match["value"])
    add_serial(report.system_serials, fields(texts[0]).get("system_serial"))
    if match := FILE_HOST_SN.search(name):
        add_serial(report.system_serials, match["serial"])
    for line in whole.splitlines():
        medium = _system_row(line)
        if medium is not None:
            report.media.append(medium)
    if not report.media:
        raise EvidenceParseError(SYSTEM_ROWS_UNREADABLE, code="system_rows")
    return report


def _system_row(line):
    """One row of the disc table: `<make> <S/N> ... <start> <end> ... <status> ...`."""
    stamps = list(STAMP.finditer(line))
    status = STATUS_WORD.search(line)
    if len(stamps) < 2 or not status:
        return None
    before = line[: stamps[0].start()].split()
    serial = real_serial(next((word for word in reversed(before) if _serial_like(word)), ""))
    if not serial:
        return None
    method = ""
    for candidate in _known_methods():
        if candidate.lower() in line.lower():
            method = candidate
            break
    medium = MediumResult(
        serial=serial,
        model=" ".join(before[: before.index(serial)] if serial in before else before)[:100],
        kind=kind_from_bus("", line),
        method=method,
        started_at=_when(stamps[0].group()),
        ended_at=_when(stamps[1].group()),
        verification="full" if re.search(r"\b(Last|All)\b", line) else "none",
    )
    if status[1] != "ERASED":
        medium.failure_reasons.append(str(STATUS_NOT_ERASED % {"status": status[1]}))
    if HIDDEN_NOT_ERASED.search(line) or re.search(r"\bENABLED\b", line):
        medium.failure_reasons.append(str(HIDDEN_SECTORS))
    medium.passed = not medium.failure_reasons
    return medium


def _serial_like(word):
    return len(word) >= 4 and any(c.isdigit() for c in word) and word.replace("-", "").isalnum()


def _known_methods():
    # Longest first, so that "DoD 5220.22-M" wins over a shorter name inside it.
    names = {name for tool, name in METHODS if tool == NWIPE}
    return sorted(names, key=len, reverse=True)
