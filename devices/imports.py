"""Device lists imported in two steps: a plan of every row (what will happen to it and why),
then its confirmation, which writes every importable row or none.

The plan reads the Table from devices.spreadsheets with the columns guessed (or
chosen) by devices.import_mapping. Each row is checked by the model's own field
validators and rules (Device.clean_fields() and own_rule_errors()), and the
inventory's uniqueness of serials and IMEIs is checked for the whole list in a
few set-based queries, with the same messages the keyboard intake gives.

Why not one services.device_intake per row: 2,000 rows took 18-30 s that way.
The confirmation takes the batch's lock once, allocates the inventory codes of
the whole list with one sequence update (the same DK codes, in row order), and
writes devices and their history records with bulk_create_with_history, so each
device still has its own record with the acting user. The keyboard intake
(services.device_intake) is unchanged."""

from dataclasses import dataclass, field

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from devices import inventory_codes
from devices.import_mapping import (
    DONOR_LIST_FIELDS,
    IMPORT_FIELDS,
    NOT_A_DEVICE,
    category_is_generic,
    field_label,
    guess_mapping,
    parse_category,
    suggest_category,
)
from devices.import_rows import REQUIRED_FIELDS, clean_fields, identifier_errors
from devices.models import BatchListItem, Device, DonationBatch
from devices.services import BATCH_NOT_OPEN_FOR_INTAKE
from devices.spreadsheets import ImportRejected, RowError, read_table
from kierratys import figures
from kierratys.sequences import next_numbers

# Rows are written in chunks of this size (SQLite's limit on query parameters).
WRITE_BATCH_SIZE = 200

MISSING_COLUMNS = _("Tiedostosta puuttuu sarake: %(columns)s.")
NO_CATEGORY = _(
    "laji puuttuu: lisää laji-sarake, valitse oletuslaji riveille, joilla sitä ei ole, tai "
    "hyväksy mallin perusteella ehdotettu laji."
)
UNKNOWN_CATEGORY = _(
    "tuntematon laji ”%(value)s”. Sallitut: kannettava, pöytäkone, tabletti, puhelin, muu "
    "(tai laptop, desktop, tablet, phone, other)."
)
UNKNOWN_CATEGORY_SUGGESTION = _("Mallin perusteella laji voisi olla ”%(category)s”.")
NOT_A_DEVICE_CATEGORY = _(
    "laji ”%(value)s” ei ole laite, jonka ohjelma ottaa vastaan (esim. näyttö, näppäimistö, hiiri "
    "tai telakka)."
)
NOT_A_DEVICE_MODEL = _(
    "malli ”%(value)s” ei ole laite, jonka ohjelma ottaa vastaan (esim. näyttö, näppäimistö, "
    "hiiri tai telakka)."
)
CATEGORY_FROM_MODEL = _("laji ”%(category)s” päätelty mallista.")
CATEGORY_FROM_DEFAULT = _("laji ”%(category)s” on valittu oletuslaji.")
LOGGED_MEANWHILE = _(
    "Joku kirjasi samalla hetkellä laitteen, jolla on sama sarjanumero tai IMEI kuin jollakin "
    "tiedoston rivillä. Mitään ei tallennettu: päivitä esikatselu ja yritä uudelleen."
)
NOTHING_TO_IMPORT = _("Tiedostossa ei ole yhtään tuotavaa riviä.")
BATCH_PROCESSED = _("Erä %(reference)s on jo käsitelty: sen laiteluetteloa ei voi enää muuttaa.")
BATCH_CANCELLED = _("Erä %(reference)s on peruttu: sen laiteluetteloa ei voi enää muuttaa.")


class Outcome(models.TextChoices):
    IMPORT = "import", _("tuodaan")
    ATTENTION = "attention", _("vaatii korjausta")
    LEFT_OUT = "left_out", _("jätetään pois")


@dataclass
class PlannedRow:
    number: int
    raw: dict
    fields: dict
    outcome: str
    reasons: list
    suggested_category: str | None = None


@dataclass
class ImportPlan:
    table: object
    mapping: dict
    default_category: str
    rows: list = field(default_factory=list)

    @property
    def counts(self):
        counts = dict.fromkeys(Outcome.values, 0)
        for row in self.rows:
            counts[row.outcome] += 1
        return counts

    @property
    def importable(self):
        return [row for row in self.rows if row.outcome == Outcome.IMPORT]

    @property
    def can_confirm(self):
        counts = self.counts
        return not counts[Outcome.ATTENTION] and counts[Outcome.IMPORT] > 0

    @property
    def missing_columns(self):
        """The labels of the required fields no column is read for."""
        return [field_label(name) for name in REQUIRED_FIELDS if self.mapping.get(name) is None]


@dataclass(frozen=True)
class _Kind:
    """What differs between a technician's device list and a donor's list."""

    model: type
    fields: tuple
    # Fields of the model the list does not fill, left out of its validation.
    not_from_list: tuple


_DEVICES = _Kind(
    model=Device,
    fields=IMPORT_FIELDS,
    not_from_list=(
        "inventory_code",
        "batch",
        "logged_by",
        "logged_at",
        "status_changed_at",
        "received_at",
    ),
)
_DONOR_LIST = _Kind(
    model=BatchListItem,
    fields=DONOR_LIST_FIELDS,
    not_from_list=("batch", "row_number", "device"),
)


def plan_batch_import(
    *,
    batch,
    table,
    mapping=None,
    default_category="",
    condition_grade=Device.Grade.B,
    accept_suggestions=True,
):
    """What importing the table into the batch would do to each row; writes nothing."""
    defaults = {"condition_grade": condition_grade}
    return _plan(_DEVICES, table, mapping, default_category, accept_suggestions, defaults)


def plan_donor_list(*, table, mapping=None, default_category="", accept_suggestions=True):
    """What saving the table as a batch's donor list would do to each row; writes nothing."""
    return _plan(_DONOR_LIST, table, mapping, default_category, accept_suggestions, {})


def _plan(kind, table, mapping, default_category, accept_suggestions, defaults):
    if mapping is None:
        mapping = guess_mapping(table.headers, kind.fields)
    # A chosen column the file does not have (a stale choice) reads as no column.
    width = range(len(table.headers))
    mapping = {
        name: mapping.get(name) if mapping.get(name) in width else None for name in kind.fields
    }
    plan = ImportPlan(table=table, mapping=mapping, default_category=default_category or "")
    columns = [(name, index) for name, index in mapping.items() if index is not None]
    errors = {}
    for sheet_row in table.rows:
        raw = {name: sheet_row.values[index] for name, index in columns}
        category, left_out, row_errors, notes, suggestion = _resolve_category(
            raw, plan.default_category, accept_suggestions
        )
        row = PlannedRow(
            number=sheet_row.number,
            raw=raw,
            fields={},
            outcome=Outcome.LEFT_OUT if left_out else Outcome.IMPORT,
            reasons=[left_out] if left_out else [],
            suggested_category=suggestion,
        )
        if not left_out:
            row.fields, field_errors = clean_fields(
                kind.model, kind.fields, raw, category, defaults
            )
            errors[row.number] = row_errors + field_errors
            row.reasons = notes
        plan.rows.append(row)
    candidates = [row for row in plan.rows if row.outcome != Outcome.LEFT_OUT]
    for number, messages in identifier_errors(candidates).items():
        errors[number].extend(messages)
    for row in candidates:
        if errors[row.number]:
            # Only what must be fixed: where the category came from is noted on rows to import.
            row.outcome = Outcome.ATTENTION
            row.reasons = errors[row.number]
    return plan


def _resolve_category(raw, default_category, accept_suggestions):
    """(category, reason for leaving the row out, errors, notes, suggestion) of a row."""
    text = raw.get("category", "")
    suggestion = suggest_category(raw.get("manufacturer", ""), raw.get("model", ""))
    labels = dict(Device.Category.choices)
    parsed = parse_category(text) if text else None
    if parsed == NOT_A_DEVICE:
        return None, str(NOT_A_DEVICE_CATEGORY % {"value": text[:40]}), [], [], suggestion
    if parsed:
        return parsed, "", [], [], suggestion
    if text and not category_is_generic(text):
        errors = [str(UNKNOWN_CATEGORY % {"value": text[:40]})]
        if suggestion in labels:
            errors.append(str(UNKNOWN_CATEGORY_SUGGESTION % {"category": labels[suggestion]}))
        return None, "", errors, [], suggestion
    if accept_suggestions and suggestion == NOT_A_DEVICE:
        reason = str(NOT_A_DEVICE_MODEL % {"value": raw.get("model", "")[:60]})
        return None, reason, [], [], suggestion
    if accept_suggestions and suggestion in labels:
        note = str(CATEGORY_FROM_MODEL % {"category": labels[suggestion]})
        return suggestion, "", [], [note], suggestion
    if default_category in labels:
        note = str(CATEGORY_FROM_DEFAULT % {"category": labels[default_category]})
        return default_category, "", [], [note], suggestion
    return None, "", [str(NO_CATEGORY)], [], suggestion


def _refusal(plan):
    """Why a plan cannot be confirmed, as RowErrors."""
    if plan.missing_columns:
        columns = ", ".join(f"”{label}”" for label in plan.missing_columns)
        return [RowError(None, str(MISSING_COLUMNS % {"columns": columns}))]
    errors = [
        RowError(row.number, reason)
        for row in plan.rows
        if row.outcome == Outcome.ATTENTION
        for reason in row.reasons
    ]
    return errors or [RowError(None, str(NOTHING_TO_IMPORT))]


def batch_import_confirm(*, batch, actor, plan):
    """Log every importable row of the plan into a received batch: all or none (ImportRejected)."""
    if not plan.can_confirm:
        raise ImportRejected(_refusal(plan))
    rows = plan.importable
    with transaction.atomic():
        locked = DonationBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != DonationBatch.Status.RECEIVED:
            message = BATCH_NOT_OPEN_FOR_INTAKE % {"reference": locked.reference}
            raise ImportRejected([RowError(None, str(message))])
        # Someone may have logged one of these serials since the plan was made.
        _refuse_known_identifiers(rows)
        now = timezone.now()
        numbers = next_numbers(name="device", year=0, count=len(rows))
        devices = [
            Device(
                batch=locked,
                inventory_code=inventory_codes.make_code(number),
                logged_by=actor,
                logged_at=now,
                status_changed_at=now,
                received_at=now,
                **row.fields,
            )
            for number, row in zip(numbers, rows, strict=True)
        ]
        try:
            with transaction.atomic():
                devices = bulk_create_with_history(
                    devices,
                    Device,
                    batch_size=WRITE_BATCH_SIZE,
                    default_user=actor,
                    default_change_reason="intake",
                )
        except IntegrityError:
            # A concurrent intake of the same serial got there first: say which row.
            _refuse_known_identifiers(rows)
            raise ImportRejected([RowError(None, str(LOGGED_MEANWHILE))]) from None
        figures.figures_refresh(devices=[device.pk for device in devices])
    return devices


def _refuse_known_identifiers(rows):
    errors = [
        RowError(number, message)
        for number, messages in identifier_errors(rows).items()
        for message in messages
    ]
    if errors:
        raise ImportRejected(errors)


def donor_list_confirm(*, batch, actor, plan):
    """Add every importable row of the plan to the batch's donor list: all or none."""
    if not plan.can_confirm:
        raise ImportRejected(_refusal(plan))
    with transaction.atomic():
        locked = DonationBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status == DonationBatch.Status.PROCESSED:
            message = BATCH_PROCESSED % {"reference": locked.reference}
            raise ImportRejected([RowError(None, str(message))])
        if locked.status == DonationBatch.Status.CANCELLED:
            message = BATCH_CANCELLED % {"reference": locked.reference}
            raise ImportRejected([RowError(None, str(message))])
        last = locked.list_items.aggregate(last=models.Max("row_number"))["last"] or 0
        items = [
            BatchListItem(batch=locked, row_number=last + position, **row.fields)
            for position, row in enumerate(plan.importable, start=1)
        ]
        items = bulk_create_with_history(
            items, BatchListItem, batch_size=WRITE_BATCH_SIZE, default_user=actor
        )
    return items


# The one-step import of before the preview, kept for callers not yet on the plan.


def parse_donor_list(uploaded_file):
    """A donor's device list as BatchListItem field dicts; raises ImportRejected naming rows."""
    table = read_table(getattr(uploaded_file, "name", ""), uploaded_file.read())
    plan = plan_donor_list(table=table)
    if not plan.can_confirm:
        raise ImportRejected(_refusal(plan))
    return [row.fields for row in plan.importable]


def batch_import_devices(*, batch, actor, uploaded_file, condition_grade):
    """Log every row of a device list into a received batch: all rows or none (ImportRejected)."""
    table = read_table(getattr(uploaded_file, "name", ""), uploaded_file.read())
    plan = plan_batch_import(batch=batch, table=table, condition_grade=condition_grade)
    return batch_import_confirm(batch=batch, actor=actor, plan=plan)
