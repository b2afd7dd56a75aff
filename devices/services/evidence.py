"""Evidence import: wipe-tool reports (nwipe logs and PDFs, Workbench snapshots) turned into
one erasure per storage medium, with the original file kept.

All or nothing **per file**: a day's upload from the ShredOS stick holds many computers' files,
and one unreadable or unmatched file must not keep the others out. Each file is read, matched
and recorded in its own transaction; a refused file writes nothing (neither its erasures nor
its stored original) and is listed with the reason. Nothing is ever dropped silently.

Matching: the device is the one whose serial equals the report's system or chassis serial
(case and spaces ignored, as the inventory compares serials), or that already holds a medium
with one of the report's disc serials. No device, or more than one, refuses the file with the
serials tried or the devices found. Each erased disc is then the device's medium with that
serial; else a medium recorded without a serial and with no erasure (intake's description of
the drive) takes the report's serial, model and kind; else the medium is added from the report.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from devices import evidence
from devices.evidence import methods
from devices.models import Device, Erasure, EvidenceFile, StorageMedium
from devices.models.device import serial_key, serial_key_text
from devices.models.media import MediumKind, medium_serial_key
from devices.services.media import device_media_ensure, medium_add, medium_update
from devices.services.processing import erasure_record
from kierratys.timeline import person_name

# A wipe report is text or a few pages of PDF: nwipe's logs of a day are well under 1 MB.
MAX_FILE_BYTES = 20 * 1024 * 1024
# Files read in one request: each is parsed in well under a second, so a worker is free again
# within seconds.
MAX_FILES = 50

FILE_TOO_LARGE = _("Tiedosto on liian suuri (%(size)s). Suurin sallittu koko on %(max)s.")
EMPTY_FILE = _("Tiedosto on tyhjä.")
TOO_MANY_FILES = _(
    "Kerralla voi tuoda enintään %(max)s tiedostoa: tätä ei luettu. Lähetä se uudelleen."
)
ALREADY_IMPORTED = _("Tiedosto on jo tuotu %(when)s (%(user)s, tiedostona %(name)s).")
SAME_FILE_TWICE = _("Sama tiedosto on tässä lähetyksessä jo kerran (%(name)s).")
NO_SERIALS = _(
    "Raportissa ei ole tietokoneen eikä levyjen sarjanumeroa, joten laitetta ei voi tunnistaa "
    "(ajettiinko nwipe valitsimella --quiet, joka piilottaa sarjanumerot?)."
)
NO_DEVICE = _(
    "Yhtään laitetta ei löytynyt sarjanumeroilla %(serials)s. Kirjaa laite ensin tai tarkista "
    "sen sarjanumero."
)
AMBIGUOUS = _(
    "Raportti sopii usealle laitteelle (%(devices)s): tietokoneen ja levyjen sarjanumerot "
    "viittaavat eri laitteisiin. Tarkista sarjanumerot; mitään ei kirjattu."
)
NOT_RECEIVED = _(
    "Laite %(code)s on jo tyhjennetty tai muuten tilassa ”%(status)s”: tyhjennyksen voi kirjata "
    "vain vastaanotetulle laitteelle."
)
NOTHING_ERASED = _("Raportissa ei ole yhtään levyä, jonka ajo olisi tyhjentänyt.")
NO_TIMES = _("Levyn %(serial)s tyhjennyksen alku- ja loppuaika puuttuvat raportista.")
NOT_ERASED_IN_RUN = _("ei tyhjennetty tässä ajossa: ei kirjattu")
REFUSED = _("Tiedostoa ei tuotu: %(reason)s")
IMPORTED_FROM = _("Tuotu tiedostosta %(name)s (SHA-256 %(sha)s…).")


@dataclass
class MediumOutcome:
    """One disc of a file: what the report said and what was recorded for it."""

    serial: str
    model: str
    kind_label: str
    passed: bool
    failure_reason: str = ""
    category_label: str = ""
    technique_label: str = ""
    verification_label: str = ""
    recorded: bool = True
    created: bool = False
    medium: StorageMedium | None = None
    erasure: Erasure | None = None


@dataclass
class FileOutcome:
    """One uploaded file: the device it matched and its media, or why nothing was recorded."""

    name: str
    size: int
    sha256: str = ""
    kind_label: str = ""
    device: Device | None = None
    media: list = field(default_factory=list)
    reason: str = ""
    evidence: EvidenceFile | None = None

    @property
    def imported(self):
        return not self.reason


@dataclass
class ImportOutcome:
    """The whole upload, file by file in the order given."""

    files: list
    dry_run: bool = False

    @property
    def imported(self):
        return [f for f in self.files if f.imported]

    @property
    def refused(self):
        return [f for f in self.files if not f.imported]


class EvidenceRefused(ValidationError):
    """A file that cannot be recorded; its message says why, in the user's words."""


def evidence_import(*, files, actor, dry_run=False):
    """Record the erasures of each wipe-tool report in `files` ((name, bytes) pairs), each file
    all or nothing; returns an ImportOutcome listing every file with its result or reason."""
    outcomes, seen = [], {}
    for index, (name, content) in enumerate(files):
        name = PurePath(str(name or "")).name[:255] or "report"
        outcome = FileOutcome(name=name, size=len(content))
        outcomes.append(outcome)
        if index >= MAX_FILES:
            outcome.reason = str(TOO_MANY_FILES % {"max": MAX_FILES})
            continue
        try:
            _check_size(content)
            outcome.sha256 = hashlib.sha256(content).hexdigest()
            if outcome.sha256 in seen:
                raise EvidenceRefused(SAME_FILE_TWICE % {"name": seen[outcome.sha256]})
            seen[outcome.sha256] = name
            _refuse_imported(outcome.sha256)
            report = evidence.read_report(name, content)
            outcome.kind_label = str(EvidenceFile.Kind(report.kind).label)
            _import_file(outcome, report, content, actor=actor, dry_run=dry_run)
        except ValidationError as error:
            outcome.reason = "; ".join(str(message) for message in error.messages)
            outcome.media = []
            outcome.evidence = None
    return ImportOutcome(files=outcomes, dry_run=dry_run)


def _check_size(content):
    if not content:
        raise EvidenceRefused(EMPTY_FILE)
    if len(content) > MAX_FILE_BYTES:
        raise EvidenceRefused(
            FILE_TOO_LARGE
            % {"size": filesizeformat(len(content)), "max": filesizeformat(MAX_FILE_BYTES)}
        )


def _refuse_imported(sha256):
    earlier = EvidenceFile.objects.select_related("uploaded_by").filter(sha256=sha256).first()
    if earlier is not None:
        when = formats.date_format(timezone.localtime(earlier.uploaded_at), "SHORT_DATETIME_FORMAT")
        user = person_name(earlier.uploaded_by)
        raise EvidenceRefused(
            ALREADY_IMPORTED % {"when": when, "user": user, "name": earlier.original_name}
        )


def match_device(report):
    """The one device the report names (system/chassis serial, or a disc already recorded);
    EvidenceRefused when none or several."""
    system_keys = {serial_key_text(s) for s in report.system_serials}
    disc_keys = {medium_serial_key(m.serial) for m in report.media if m.serial and m.attempted}
    if not system_keys and not disc_keys:
        raise EvidenceRefused(NO_SERIALS)
    devices = {}
    if system_keys:
        for device in Device.objects.alias(key=serial_key("serial_number")).filter(
            key__in=system_keys
        ):
            devices[device.pk] = device
    if disc_keys:
        for medium in (
            StorageMedium.objects.alias(key=serial_key("serial_number"))
            .filter(key__in=disc_keys)
            .select_related("device")
        ):
            devices.setdefault(medium.device_id, medium.device)
    if not devices:
        tried = [*report.system_serials, *(m.serial for m in report.media if m.serial)]
        raise EvidenceRefused(NO_DEVICE % {"serials": ", ".join(tried)})
    if len(devices) > 1:
        codes = ", ".join(sorted(d.inventory_code for d in devices.values()))
        raise EvidenceRefused(AMBIGUOUS % {"devices": codes})
    return next(iter(devices.values()))


def _import_file(outcome, report, content, *, actor, dry_run):
    erased = [m for m in report.media if m.attempted]
    if not erased:
        raise EvidenceRefused(NOTHING_ERASED)
    classified = []
    for result in erased:
        if result.started_at is None or result.ended_at is None:
            raise EvidenceRefused(NO_TIMES % {"serial": result.serial or result.device_path})
        classified.append(
            methods.classify(
                tool=report.tool_name,
                method=result.method,
                medium_kind=result.kind,
                verification=result.verification,
            )
        )
    stored = None
    try:
        with transaction.atomic():
            device = Device.objects.select_for_update().get(pk=match_device(report).pk)
            outcome.device = device
            if device.status != Device.Status.RECEIVED:
                raise EvidenceRefused(
                    NOT_RECEIVED
                    % {"code": device.inventory_code, "status": device.get_status_display()}
                )
            record = EvidenceFile(
                original_name=outcome.name,
                sha256=outcome.sha256,
                size=len(content),
                kind=report.kind,
                uploaded_by=actor,
            )
            if dry_run:
                record.file.name = f"erasure-evidence/{outcome.name}"
            else:
                record.file.save(outcome.name, ContentFile(content), save=False)
                stored = record.file.name
            record._history_user = actor
            try:
                with transaction.atomic():
                    record.save()
            except IntegrityError:
                # Another upload of the same file won the race.
                _refuse_imported(outcome.sha256)
                raise
            outcome.evidence = record
            pairs = _media_for(device, erased, actor)
            outcome.media = _record(
                device, report, record, erased, classified, pairs, actor=actor, name=outcome.name
            )
            outcome.media += [_skipped(r) for r in report.media if not r.attempted]
            if dry_run:
                transaction.set_rollback(True)
    except BaseException:
        if stored:
            record.file.storage.delete(stored)
        raise


def _media_for(device, results, actor):
    """Each erased disc's medium on the device: [(medium, created)] in the report's order.

    First the media with the disc's serial; then blank media (no serial, no erasure) of the
    disc's kind, then any blank one; the rest are added."""
    existing = device_media_ensure(device=device, actor=actor)
    by_serial = {medium_serial_key(m.serial_number): m for m in existing if m.serial_number}
    blanks = [m for m in existing if not m.serial_number and not m.erasures.exists()]
    pairs = [None] * len(results)
    kinds = [r.kind if r.kind in MediumKind.values else MediumKind.UNKNOWN for r in results]
    for index, result in enumerate(results):
        key = medium_serial_key(result.serial) if result.serial else None
        if key and key in by_serial:
            pairs[index] = (by_serial[key], False)
    for same_kind in (True, False):
        for index, result in enumerate(results):
            if pairs[index] is not None or not blanks:
                continue
            blank = next((m for m in blanks if m.kind == kinds[index] or not same_kind), None)
            if blank is not None:
                blanks.remove(blank)
                pairs[index] = (_medium_claim(blank, result, kinds[index], actor), False)
    for index, result in enumerate(results):
        if pairs[index] is None:
            medium = medium_add(
                device=device,
                actor=actor,
                kind=kinds[index],
                model=result.model,
                serial_number=result.serial,
                capacity_gb=result.capacity_gb,
            )
            pairs[index] = (medium, True)
    return pairs


def _medium_claim(medium, result, kind, actor):
    """The medium intake recorded without a serial is the disc the report names."""
    fields = {
        "serial_number": result.serial,
        "model": medium.model or result.model,
        "capacity_gb": medium.capacity_gb or result.capacity_gb,
    }
    if kind != MediumKind.UNKNOWN:
        fields["kind"] = kind
    return medium_update(medium=medium, actor=actor, reason="evidence import", **fields)


def _record(device, report, record, results, classified, pairs, *, actor, name):
    notes_common = [*report.notes, str(IMPORTED_FROM % {"name": name, "sha": record.sha256[:12]})]
    rows = list(enumerate(zip(results, classified, pairs, strict=True)))
    # Failed attempts first: a passed one may complete the device, after which nothing more
    # can be recorded on it.
    rows.sort(key=lambda row: row[1][0].passed)
    outcomes = {}
    for index, (result, classification, (medium, created)) in rows:
        reason = "; ".join(dict.fromkeys(result.failure_reasons))
        erasure = erasure_record(
            device=device,
            actor=actor,
            medium=medium,
            started_at=result.started_at,
            ended_at=result.ended_at,
            method=classification.category,
            technique=classification.technique,
            tool_name=report.tool_name or "?",
            tool_version=report.tool_version or "?",
            verification=classification.verification,
            result=Erasure.Result.PASSED if result.passed else Erasure.Result.FAILED,
            notes="\n".join([f"{report.tool_name}: {result.method}", *result.notes, *notes_common]),
            failure_reason=reason,
            evidence=record,
        )
        outcomes[index] = MediumOutcome(
            serial=medium.serial_number,
            model=medium.model,
            kind_label=str(medium.get_kind_display()),
            passed=result.passed,
            failure_reason=reason,
            category_label=str(erasure.get_method_display()),
            technique_label=str(erasure.get_technique_display()),
            verification_label=str(erasure.get_verification_display()),
            created=created,
            medium=medium,
            erasure=erasure,
        )
    return [outcomes[index] for index in sorted(outcomes)]


def _skipped(result):
    return MediumOutcome(
        serial=result.serial,
        model=result.model,
        kind_label=str(MediumKind(result.kind).label) if result.kind in MediumKind.values else "",
        passed=False,
        failure_reason=str(NOT_ERASED_IN_RUN),
        recorded=False,
    )
