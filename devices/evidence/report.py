"""The one shape every wipe-tool parser returns: what the report says, before any matching.

Parsers are pure functions of the file's bytes: no database, no storage. The service
(devices.services.evidence) matches the report to a device and its media and records it."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Kinds of evidence file, the values of devices.models.media.EvidenceKind.
NWIPE_LOG = "nwipe_log"
NWIPE_PDF = "nwipe_pdf"
WORKBENCH = "workbench"

# Values firmware writers leave in DMI fields when no serial was set: never a match.
PLACEHOLDER_SERIALS = {
    "",
    "0",
    "none",
    "n/a",
    "na",
    "unknown",
    "default string",
    "not specified",
    "not applicable",
    "not available",
    "to be filled by o.e.m.",
    "system serial number",
    "chassis serial number",
    "base board serial number",
    "0123456789",
    "123456789",
    "xxxxxxxx",
}

UNREADABLE_REPORT = _("Tiedostoa ei voitu lukea: %(reason)s")


class EvidenceParseError(ValidationError):
    """A report that cannot be read as the tool it looks like; the message names why."""


def real_serial(value):
    """The serial as given, stripped, or "" when it is a firmware placeholder or anonymised."""
    value = " ".join(str(value or "").split())
    if value.lower() in PLACEHOLDER_SERIALS or set(value) <= {"0", "X", "x", "*", "-", " "}:
        return ""
    return value


@dataclass
class MediumResult:
    """One storage medium's erasure as the report records it."""

    serial: str
    model: str = ""
    # A devices.models.media.MediumKind value guessed from the bus and the component type.
    kind: str = "unknown"
    capacity_gb: int | None = None
    bus: str = ""
    device_path: str = ""
    # The tool's own name of the method ("PRNG Stream", "EraseBasic"); devices.evidence.methods
    # maps it to the NIST category and technique.
    method: str = ""
    started_at: object = None
    ended_at: object = None
    # An Erasure.Verification value.
    verification: str = "none"
    passed: bool = False
    # False for a disc the report lists but the run did not erase (not selected in nwipe, no
    # erase action in Workbench): it is shown, never recorded as an erasure.
    attempted: bool = True
    failure_reasons: list = field(default_factory=list)
    # Facts worth keeping that do not fail the erasure (steps, throughput, HPA unknown).
    notes: list = field(default_factory=list)


@dataclass
class ErasureReport:
    """A whole report: which tool, which computer, which media."""

    kind: str
    tool_name: str
    tool_version: str
    # System serial first, then chassis (and baseboard) serials: placeholders left out.
    system_serials: list = field(default_factory=list)
    media: list = field(default_factory=list)
    # Report-level problems ("Nwipe was aborted"): every medium then fails with them.
    failure_reasons: list = field(default_factory=list)
    notes: list = field(default_factory=list)


def add_serial(serials, value):
    """Append a real serial once (compared ignoring case and spaces)."""
    value = real_serial(value)
    if value and value.lower().replace(" ", "") not in {
        s.lower().replace(" ", "") for s in serials
    }:
        serials.append(value)


def kind_from_bus(bus, model=""):
    """The medium kind a bus (and model name) suggests: NVMe, SSD, HDD, removable or unknown."""
    bus = (bus or "").strip().upper()
    model = (model or "").upper()
    if bus.startswith("NVME") or "NVME" in model:
        return "nvme"
    if bus in {"USB", "MMC", "SD"}:
        return "removable" if bus != "MMC" else "emmc"
    if "SSD" in model or "SOLID STATE" in model:
        return "ssd"
    if bus in {"ATA", "SATA", "SAS", "SCSI", "IDE", "PATA"}:
        return "hdd"
    return "unknown"


def gigabytes(text):
    """'320 GB', '1 TB', '160042.0 MB', 305245 (MB) -> whole gigabytes (decimal), or None."""
    if text is None:
        return None
    if isinstance(text, int | float):
        return max(1, round(text / 1000)) if text else None
    parts = str(text).replace(",", ".").split()
    try:
        number = float(parts[0])
    except (ValueError, IndexError):
        return None
    unit = parts[1].upper() if len(parts) > 1 else "GB"
    factor = {"TB": 1000, "GB": 1, "MB": 0.001, "KB": 0.000001, "B": 1e-9}
    if unit.startswith("TI") or unit.startswith("GI") or unit.startswith("MI"):
        factor_binary = {"TI": 1099.511627776, "GI": 1.073741824, "MI": 0.001048576}
        value = number * factor_binary[unit[:2]]
    else:
        value = number * factor.get(unit.rstrip("S"), 1)
    return max(1, round(value)) if value else None
