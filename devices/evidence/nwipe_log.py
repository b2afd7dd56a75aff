"""nwipe's log (src/logging.c), as ShredOS leaves it on the USB stick: one report per run.

What is read (see ../shared/testdata/erasure/nwipe-log-format.md):
- `Found <path>, <bus>, <model>, <size>, S/N=<serial>`: every disc, its serial in full;
- DMI lines `system-serial-number = ...`, `chassis-serial-number = ...`,
  `baseboard-serial-number = ...`: the computer;
- the options block: banner (tool version), method, verify, rounds;
- `Invoking method '<m>' on <path>` and `Finished final round ... on <path>` (or the last line
  naming the disc) with their timestamps: each disc's start and end;
- the Error Summary (pass / verification / fdatasync errors) and Drive Status tables
  (Erased, -FAILED-, UABORTED, INSANITY; a leading `!` marks a failed row); their truncated
  model/serial column is never used, the device name joins them to the `Found` lines;
- lines naming a disc's hidden sectors (HPA/DCO) as not erased, or HPA/DCO as enabled;
- the last line: completed, aborted or exited with errors.
Timestamps have no time zone: they are read in the programme's (settings.TIME_ZONE), the
clock ShredOS machines here are set to.
"""

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from devices.evidence.report import (
    NWIPE_LOG,
    ErasureReport,
    EvidenceParseError,
    MediumResult,
    add_serial,
    gigabytes,
    kind_from_bus,
    real_serial,
)

LINE = re.compile(
    r"^\[(?P<stamp>\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2})\]\s*(?:(?P<level>[a-z]+):\s?)?(?P<msg>.*)$"
)
FOUND = re.compile(
    r"Found (?P<path>/dev/\S+?),\s*(?P<bus>[^,]*),\s*(?P<model>.*?),\s*(?P<size>[^,]*),"
    r"\s*S/N=(?P<serial>.*)$"
)
DMI = re.compile(
    r"^(?P<key>system-serial-number|chassis-serial-number|baseboard-serial-number)\s*=\s*"
    r"(?P<value>.*)$"
)
OPTION = re.compile(r"^\s*(?P<key>banner|method|verify|rounds|prng|noblank)\s*=\s*(?P<value>.*)$")
INVOKING = re.compile(r"Invoking method '(?P<method>[^']+)' on (?P<path>/dev/\S+)")
FINISHED = re.compile(r"Finished final round .* on (?P<path>/dev/\S+)")
VERSION = re.compile(r"nwipe version (?P<version>\S+)")
TABLE_ROW = re.compile(r"^(?P<mark>!?)\s*(?P<device>[A-Za-z0-9_./-]+)\s*\|(?P<rest>.*)$")
TOTAL = re.compile(r"Total Throughput .*?,\s*(?P<method>.+?),\s*(?P<summary>\d+R\+\w+\+\w+)\s*$")
# Warnings of hidden sectors (nwipe's HPA/DCO check, 0.34 on): names the disc on the same line.
HIDDEN_NOT_ERASED = re.compile(r"hidden sectors\s+(were\s+)?not\s+erased", re.IGNORECASE)
HPA_ENABLED = re.compile(r"\b(HPA|DCO)(/DCO)?\b.*\b(is\s+)?enabled\b", re.IGNORECASE)
HPA_NEGATED = re.compile(r"\b(not|disabled|un)\s*enabled\b", re.IGNORECASE)
HPA_UNKNOWN = re.compile(r"(HPA/DCO data unavailable|can ?not determine hidden sector)", re.I)

STATUS_ERASED = "ERASED"
STATUS_WORDS = {"ERASED": "ERASED", "-FAILED-": "FAILED", "UABORTED": "ABORTED"}

NOT_AN_NWIPE_LOG = _("tiedostossa ei ole nwipen löytämiä levyjä (rivejä ”Found /dev/...”).")
STATUS_NOT_ERASED = _("nwipen tila %(status)s (Drive Status -taulukko)")
NO_STATUS_ROW = _("levyä ei ole nwipen Drive Status -taulukossa: tyhjennystä ei saatu loppuun")
PASS_ERRORS = _("kirjoitusvirheitä (pass errors): %(count)s")
VERIFY_ERRORS = _("varmennusvirheitä (verification errors): %(count)s")
SYNC_ERRORS = _("fdatasync-I/O-virheitä: %(count)s")
HIDDEN_SECTORS = _("piilotetut sektorit (HPA/DCO) jäivät tyhjentämättä")
HPA_UNKNOWN_NOTE = _("HPA/DCO-tietoa ei saatu: piilotettujen sektorien tilaa ei voitu todeta")
RUN_ABORTED = _("nwipen ajo keskeytettiin (”Nwipe was aborted”)")
RUN_NOT_COMPLETED = _("lokin viimeinen rivi ei kerro nwipen ajon valmistuneen: %(line)s")
RUN_ERRORS = _("nwipe päättyi virheisiin: %(line)s")
NOT_ERASED_BY_RUN = _("levyä ei tyhjennetty tässä ajossa (ei riviä ”Invoking method”)")


def _when(stamp):
    # zoneinfo resolves the local time (fold=0 in the autumn's repeated hour).
    zone = timezone.get_default_timezone()
    return datetime.datetime.strptime(stamp, "%Y/%m/%d %H:%M:%S").replace(tzinfo=zone)


def _short(path):
    return path.removeprefix("/dev/")


def parse(text):
    """An nwipe log's text -> ErasureReport; EvidenceParseError when it is not one."""
    report = ErasureReport(kind=NWIPE_LOG, tool_name="nwipe", tool_version="")
    discs, order, status, errors = {}, [], {}, {}
    first_stamp = last_stamp = None
    banner = version = method = ""
    verify = "none"
    last_message = ""
    table = None
    for raw in text.splitlines():
        line = raw.rstrip()
        match = LINE.match(line)
        stamp = None
        message = line
        if match:
            stamp = _when(match["stamp"])
            first_stamp = first_stamp or stamp
            last_stamp = stamp
            message = match["msg"].strip()
            if message:
                last_message = message
        elif line.strip():
            last_message = line.strip()
        if found := FOUND.search(message):
            path = found["path"]
            if path not in discs:
                order.append(path)
                discs[path] = {
                    "found": found,
                    "start": None,
                    "end": None,
                    "last": None,
                    "method": "",
                    "hidden": False,
                    "hpa_unknown": False,
                }
            continue
        if dmi := DMI.match(message):
            if dmi["key"] != "baseboard-serial-number":
                add_serial(report.system_serials, dmi["value"])
            else:
                baseboard = dmi["value"]
                report.notes.append(f"baseboard-serial-number = {baseboard}")
            continue
        if option := OPTION.match(message):
            key, value = option["key"], option["value"].strip()
            if key == "banner":
                banner = value
            elif key == "method":
                method = value
            elif key == "verify":
                verify = "none" if value.startswith("0") or "off" in value.lower() else "full"
            elif key == "rounds":
                report.notes.append(f"rounds = {value}")
            continue
        if found_version := VERSION.search(message):
            version = found_version["version"]
        # A table starts at its title ("Error Summary", "Drive Status") or its header row.
        if "Error Summary" in message:
            table = "errors"
            continue
        if "Drive Status" in message:
            table = "status"
            continue
        if message.lstrip("! ").startswith("Device |"):
            table = _table_kind(message)
            continue
        if total := TOTAL.search(message):
            method = method or total["method"].strip()
            report.notes.append(f"{total['method'].strip()}, {total['summary']}")
            table = None
            continue
        if table and "|" in message and (row := TABLE_ROW.match(message.strip())):
            cells = [cell.strip() for cell in row["rest"].split("|")]
            if row["device"].lower() == "device":
                table = _table_kind(row["rest"]) or table
                continue
            device = row["device"]
            if table == "errors":
                errors[device] = [_number(cell) for cell in cells[:3]]
            else:
                word = cells[0].upper() if cells else ""
                status[device] = (STATUS_WORDS.get(word, word), bool(row["mark"]))
            continue
        for path, disc in discs.items():
            if not re.search(re.escape(path) + r"(?![\w/])", message):
                continue
            disc["last"] = stamp or disc["last"]
            if invoking := INVOKING.search(message):
                disc["start"] = disc["start"] or stamp
                disc["method"] = invoking["method"]
            elif FINISHED.search(message):
                disc["end"] = stamp
            if HIDDEN_NOT_ERASED.search(message) or (
                HPA_ENABLED.search(message) and not HPA_NEGATED.search(message)
            ):
                disc["hidden"] = True
            if HPA_UNKNOWN.search(message):
                disc["hpa_unknown"] = True
    if not discs:
        raise EvidenceParseError(NOT_AN_NWIPE_LOG, code="not_nwipe_log")
    report.tool_version = _version(banner, version)
    if banner.lower().startswith("shredos"):
        words = banner.split()
        report.tool_name = f"nwipe (ShredOS {words[1]})"[:100] if len(words) > 1 else "nwipe"
    report.failure_reasons = _run_failures(last_message)
    for path in order:
        report.media.append(
            _medium(path, discs[path], status, errors, method, verify, first_stamp, last_stamp)
        )
    # How the run ended explains a disc with no row of its own; a disc the table shows erased
    # stays erased when another disc of the run failed or the run was stopped after it.
    for path, medium in zip(order, report.media, strict=True):
        if _short(path) not in status:
            medium.failure_reasons.extend(report.failure_reasons)
    return report


def _table_kind(header):
    if "Pass Errors" in header:
        return "errors"
    if "Status" in header:
        return "status"
    return None


def _number(cell):
    try:
        return int(cell.split()[0])
    except (ValueError, IndexError):
        return 0


def _version(banner, version):
    if version:
        return version[:50]
    # "ShredOS v2021.08.2_22_x86-64_0.32.023": nwipe's version is the last part;
    # "nwipe 0.35": the second word.
    if banner.lower().startswith("shredos"):
        return banner.rsplit("_", 1)[-1][:50]
    parts = banner.split()
    return (parts[1] if len(parts) > 1 else banner)[:50]


def _run_failures(last_line):
    text = last_line.lower()
    if "successfully completed" in text:
        return []
    if "aborted" in text:
        return [str(RUN_ABORTED)]
    if "error" in text or "fail" in text:
        return [str(RUN_ERRORS % {"line": last_line[:200]})]
    return [str(RUN_NOT_COMPLETED % {"line": last_line[:200]})]


def _medium(path, disc, status, errors, method, verify, first_stamp, last_stamp):
    found = disc["found"]
    name = _short(path)
    medium = MediumResult(
        serial=real_serial(found["serial"]),
        model=" ".join(found["model"].split())[:100],
        kind=kind_from_bus(found["bus"], found["model"]),
        capacity_gb=gigabytes(found["size"]),
        bus=found["bus"].strip(),
        device_path=path,
        method=disc["method"] or method,
        started_at=disc["start"] or first_stamp,
        # A disc nwipe did not finish ended when the run did.
        ended_at=disc["end"] or last_stamp or disc["last"],
        verification=verify,
    )
    reasons = medium.failure_reasons
    word, marked = status.get(name, (None, False))
    if disc["start"] is None:
        reasons.append(str(NOT_ERASED_BY_RUN))
        medium.attempted = word is not None
    if word is None:
        reasons.append(str(NO_STATUS_ROW))
    elif word != STATUS_ERASED or marked:
        reasons.append(str(STATUS_NOT_ERASED % {"status": word}))
    pass_errors, verify_errors, sync_errors = (list(errors.get(name, [])) + [0, 0, 0])[:3]
    for count, message in (
        (pass_errors, PASS_ERRORS),
        (verify_errors, VERIFY_ERRORS),
        (sync_errors, SYNC_ERRORS),
    ):
        if count:
            reasons.append(str(message % {"count": count}))
    if disc["hidden"]:
        reasons.append(str(HIDDEN_SECTORS))
    if disc["hpa_unknown"]:
        medium.notes.append(str(HPA_UNKNOWN_NOTE))
    if medium.started_at and medium.ended_at and medium.ended_at < medium.started_at:
        medium.ended_at = medium.started_at
    medium.passed = not reasons
    return medium
