"""eReuse Workbench 11 snapshots (JSON): the computer and the erasure of each data storage.

What is read: `software` / `version` (the tool), `device.serialNumber` (the computer; the
motherboard's serial as a second way to match it), the components of type HardDrive,
SolidStateDrive or DataStorage with serialNumber, model, size (MB, a number or "160042.0 MB"),
interface, and their EraseBasic / EraseSectors actions: severity, startTime, endTime and steps
(StepZero, StepRandom, each with its severity). The last erase action of a component counts.
A severity of Error (the action's or any step's) fails the erasure; a drive with no erase
action was not erased in this run and is listed as failed with that reason.
"""

import datetime
import json

from django.utils.translation import gettext_lazy as _

from devices.evidence.report import (
    WORKBENCH,
    ErasureReport,
    EvidenceParseError,
    MediumResult,
    add_serial,
    gigabytes,
    kind_from_bus,
    real_serial,
)

STORAGE_TYPES = {"HardDrive": "hdd", "SolidStateDrive": "ssd", "DataStorage": "unknown"}
ERASE_TYPES = {"EraseBasic", "EraseSectors"}
FAILED_SEVERITIES = {"error"}

NOT_A_SNAPSHOT = _("tiedosto ei ole eReuse Workbenchin tilannekuva (JSON, type ”Snapshot”).")
NO_STORAGE = _("tilannekuvassa ei ole yhtään tallennusvälinettä (HardDrive, SolidStateDrive).")
NOT_ERASED = _("Workbench ei tyhjentänyt tätä levyä (ei EraseBasic- tai EraseSectors-toimintoa)")
ACTION_ERROR = _("Workbenchin tyhjennys %(type)s päättyi virheeseen (severity %(severity)s)")
STEP_ERROR = _("vaihe %(step)s epäonnistui (severity %(severity)s)")
NO_TIMES = _("tyhjennyksen alku- tai loppuaika puuttuu")


def _time(value):
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def parse(text):
    """A Workbench snapshot's text -> ErasureReport; EvidenceParseError when it is not one."""
    try:
        data = json.loads(text)
    except ValueError:
        raise EvidenceParseError(NOT_A_SNAPSHOT, code="not_workbench") from None
    if not isinstance(data, dict) or data.get("type") != "Snapshot":
        raise EvidenceParseError(NOT_A_SNAPSHOT, code="not_workbench")
    report = ErasureReport(
        kind=WORKBENCH,
        tool_name=str(data.get("software") or "Workbench")[:100],
        tool_version=str(data.get("version") or "")[:50],
    )
    device = data.get("device") or {}
    add_serial(report.system_serials, device.get("serialNumber"))
    components = [c for c in data.get("components") or [] if isinstance(c, dict)]
    for component in components:
        if component.get("type") == "Motherboard":
            add_serial(report.system_serials, component.get("serialNumber"))
    for component in components:
        kind = STORAGE_TYPES.get(component.get("type"))
        if kind is not None:
            report.media.append(_medium(component, kind))
    if not report.media:
        raise EvidenceParseError(NO_STORAGE, code="no_storage")
    return report


def _medium(component, kind):
    model = " ".join(str(component.get("model") or "").split())
    interface = str(component.get("interface") or "")
    guessed = kind_from_bus(interface, model)
    if kind == "unknown" or guessed == "nvme":
        kind = guessed
    medium = MediumResult(
        serial=real_serial(component.get("serialNumber")),
        model=model[:100],
        kind=kind,
        capacity_gb=gigabytes(_megabytes(component.get("size"))),
        bus=interface,
    )
    erasures = [
        action
        for action in component.get("actions") or []
        if isinstance(action, dict) and action.get("type") in ERASE_TYPES
    ]
    if not erasures:
        medium.failure_reasons.append(str(NOT_ERASED))
        medium.attempted = False
        return medium
    action = erasures[-1]
    medium.method = action["type"]
    medium.started_at = _time(action.get("startTime"))
    medium.ended_at = _time(action.get("endTime"))
    steps = [step for step in action.get("steps") or [] if isinstance(step, dict)]
    severity = str(action.get("severity") or "")
    if severity.lower() in FAILED_SEVERITIES:
        medium.failure_reasons.append(
            str(ACTION_ERROR % {"type": action["type"], "severity": severity})
        )
    for step in steps:
        step_severity = str(step.get("severity") or "")
        if step_severity.lower() in FAILED_SEVERITIES:
            medium.failure_reasons.append(
                str(STEP_ERROR % {"step": step.get("type"), "severity": step_severity})
            )
        step_start, step_end = _time(step.get("startTime")), _time(step.get("endTime"))
        medium.started_at = medium.started_at or step_start
        medium.ended_at = medium.ended_at or step_end
    if steps:
        medium.notes.append(", ".join(str(step.get("type")) for step in steps))
    if medium.started_at is None or medium.ended_at is None:
        medium.failure_reasons.append(str(NO_TIMES))
        medium.started_at = medium.started_at or medium.ended_at
        medium.ended_at = medium.ended_at or medium.started_at
    medium.passed = not medium.failure_reasons
    return medium


def _megabytes(size):
    """Workbench gives sizes in MB: 305245 or "160042.0 MB"."""
    if isinstance(size, int | float):
        return f"{size} MB"
    return size
