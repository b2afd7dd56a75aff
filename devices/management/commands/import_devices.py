"""Import a device list (CSV or XLSX) into a received batch from the command line.

For migrating an existing inventory into a new installation: the same reading,
column mapping, plan and confirmation as the web import's preview, printed as
text. Nothing is written unless every row can be imported, and rows that are not
a device kind are only left out when --skip-non-devices says so."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from devices import import_mapping, imports, spreadsheets
from devices.imports import Outcome
from devices.models import Device, DonationBatch
from devices.services import BATCH_NOT_OPEN_FOR_INTAKE
from kierratys.roles import is_technician

UNKNOWN_USER = _("Käyttäjää ”%(username)s” ei ole tai hänen tunnuksensa ei ole käytössä.")
NOT_A_TECHNICIAN = _(
    "Käyttäjä ”%(username)s” ei ole teknikko eikä koordinaattori, joten hän ei voi kirjata "
    "laitteita."
)
UNKNOWN_BATCH = _("Erää %(reference)s ei ole.")
UNKNOWN_CATEGORY = _(
    "Tuntematon laji ”%(value)s”. Anna jokin näistä: %(choices)s (tai suomeksi, esim. kannettava)."
)
FILE_NOT_FOUND = _("Tiedostoa %(path)s ei voi avata: %(error)s")
ROWS_NEED_ATTENTION = ngettext_lazy(
    "%(count)s rivi vaatii korjausta. Korjaa se tiedostoon ja aja komento uudelleen; "
    "mitään ei kirjattu.",
    "%(count)s riviä vaatii korjausta. Korjaa ne tiedostoon ja aja komento uudelleen; "
    "mitään ei kirjattu.",
    "count",
)
ROWS_LEFT_OUT_UNASKED = ngettext_lazy(
    "%(count)s rivi ei ole laite, jonka ohjelma ottaa vastaan (katso yltä). Se jätetään pois "
    "vain, kun annat valitsimen --skip-non-devices; mitään ei kirjattu.",
    "%(count)s riviä ei ole laitteita, joita ohjelma ottaa vastaan (katso yltä). Ne jätetään "
    "pois vain, kun annat valitsimen --skip-non-devices; mitään ei kirjattu.",
    "count",
)
NOTHING_TO_IMPORT = _("Tiedostossa ei ole yhtään tuotavaa laiteriviä; mitään ei kirjattu.")
IMPORT_REFUSED = _("Tuonti hylättiin, mitään ei kirjattu:")
DRY_RUN_DONE = ngettext_lazy(
    "Kuivaharjoitus: %(count)s laite voitaisiin kirjata erään %(reference)s. Mitään ei kirjattu.",
    "Kuivaharjoitus: %(count)s laitetta voitaisiin kirjata erään %(reference)s. "
    "Mitään ei kirjattu.",
    "count",
)
IMPORTED = ngettext_lazy(
    "Kirjattu %(count)s laite erään %(reference)s (%(first)s).",
    "Kirjattu %(count)s laitetta erään %(reference)s (%(first)s–%(last)s).",
    "count",
)

HEADING_FILE = _("Tiedosto: %(name)s (%(format)s)")
HEADING_ENCODING = _("Merkistö: %(encoding)s, erotin: %(delimiter)s")
HEADING_SHEET = _("Taulukko: %(sheet)s")
HEADING_HEADER_ROW = _("Otsikkorivi: %(row)s")
HEADING_SAMPLE = _("Alku tiedostosta:")
HEADING_MAPPING = _("Sarakkeet:")
HEADING_UNUSED = _("Käyttämättä jäävät sarakkeet: %(columns)s")
HEADING_DEFAULT_CATEGORY = _("Laji, kun rivillä ei ole lajia: %(category)s")
HEADING_COUNTS = _("Rivejä: %(counts)s")
ROW_LINE = _("Rivi %(row)s (%(outcome)s): %(reasons)s")
HEADING_UNMAPPED = _("Ei saraketta: %(fields)s")
NOTE_LINE = ngettext_lazy(
    "Tuodaan, huomautus: %(note)s (%(count)s rivi: %(rows)s)",
    "Tuodaan, huomautus: %(note)s (%(count)s riviä: %(rows)s)",
    "count",
)

DELIMITER_NAMES = {
    ";": _("puolipiste (;)"),
    ",": _("pilkku (,)"),
    "\t": _("sarkain"),
}

SAMPLE_LINES = 3
NOTE_ROWS_SHOWN = 10
MEGABYTE = 1024 * 1024


class Command(BaseCommand):
    help = (
        "Import a device list (CSV or XLSX) into a received batch, e.g. when migrating an "
        "existing inventory: prints the preview (encoding, delimiter, sheet, header row, which "
        "column fills which field, the rows needing attention or left out), then logs every "
        "row or none. --as is required: the username of a technician or coordinator, who is "
        "recorded in each device's history. Rows whose kind is not a device are left out only "
        "with --skip-non-devices. Exits non-zero, writing nothing, when any row needs attention."
    )

    def add_arguments(self, parser):
        parser.add_argument("batch_reference", help="the batch's reference, e.g. ER-2026-0042")
        parser.add_argument("file", help="the CSV or XLSX file")
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="username of the technician or coordinator doing the import (required)",
        )
        parser.add_argument(
            "--category",
            default="",
            help="category for rows without one: " + ", ".join(Device.Category.values),
        )
        parser.add_argument(
            "--grade",
            default=Device.Grade.B,
            choices=Device.Grade.values,
            help="condition grade for rows without one (default B)",
        )
        parser.add_argument(
            "--no-suggestions",
            action="store_true",
            help="do not take a missing category from the model (ThinkPad -> laptop)",
        )
        parser.add_argument(
            "--skip-non-devices",
            action="store_true",
            help="leave out the rows whose kind is not a device (chargers, bags, ...)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="print the preview and write nothing"
        )

    def handle(self, *args, batch_reference, file, username, category, grade, **options):
        actor = self._actor(username)
        batch = self._batch(batch_reference)
        default_category = self._category(category)
        path = Path(file)
        content = self._content(path)
        try:
            table = spreadsheets.read_table(path.name, content)
            plan = imports.plan_batch_import(
                batch=batch,
                table=table,
                default_category=default_category,
                condition_grade=grade,
                accept_suggestions=not options["no_suggestions"],
            )
        except ValidationError as error:
            raise CommandError(_refusal(error)) from None
        self._print_plan(path, plan)
        self._check(plan, skip_non_devices=options["skip_non_devices"])
        if options["dry_run"]:
            count = len(plan.importable)
            self.stdout.write(DRY_RUN_DONE % {"count": count, "reference": batch.reference})
            return
        try:
            devices = imports.batch_import_confirm(batch=batch, actor=actor, plan=plan)
        except ValidationError as error:
            raise CommandError(_refusal(error)) from None
        codes = [device.inventory_code for device in devices]
        self.stdout.write(
            self.style.SUCCESS(
                IMPORTED
                % {
                    "count": len(devices),
                    "reference": batch.reference,
                    "first": codes[0],
                    "last": codes[-1],
                }
            )
        )

    def _actor(self, username):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(UNKNOWN_USER % {"username": username})
        if not is_technician(user):
            raise CommandError(NOT_A_TECHNICIAN % {"username": username})
        return user

    def _batch(self, reference):
        batch = DonationBatch.objects.filter(reference__iexact=reference.strip()).first()
        if batch is None:
            raise CommandError(UNKNOWN_BATCH % {"reference": reference})
        # Checked before the plan too, so that a dry run does not promise an import.
        if batch.status != DonationBatch.Status.RECEIVED:
            raise CommandError(BATCH_NOT_OPEN_FOR_INTAKE % {"reference": batch.reference})
        return batch

    def _category(self, text):
        if not text:
            return ""
        category = import_mapping.parse_category(text)
        if category is None or category == import_mapping.NOT_A_DEVICE:
            raise CommandError(
                UNKNOWN_CATEGORY % {"value": text, "choices": ", ".join(Device.Category.values)}
            )
        return category

    def _content(self, path):
        try:
            # Refused before reading, as an upload of that size would be.
            if path.stat().st_size > spreadsheets.MAX_UPLOAD_BYTES:
                megabytes = spreadsheets.MAX_UPLOAD_BYTES // MEGABYTE
                raise CommandError(spreadsheets.FILE_TOO_LARGE % {"max": megabytes})
            return path.read_bytes()
        except OSError as error:
            raise CommandError(FILE_NOT_FOUND % {"path": path, "error": error.strerror}) from None

    def _check(self, plan, *, skip_non_devices):
        """Refuse, writing nothing, unless every row is importable or chosen to be left out."""
        if plan.missing_columns:
            columns = ", ".join(f"”{label}”" for label in plan.missing_columns)
            raise CommandError(imports.MISSING_COLUMNS % {"columns": columns})
        counts = plan.counts
        if counts.get(Outcome.ATTENTION, 0):
            raise CommandError(ROWS_NEED_ATTENTION % {"count": counts[Outcome.ATTENTION]})
        if counts.get(Outcome.LEFT_OUT, 0) and not skip_non_devices:
            raise CommandError(ROWS_LEFT_OUT_UNASKED % {"count": counts[Outcome.LEFT_OUT]})
        if not plan.can_confirm:
            raise CommandError(NOTHING_TO_IMPORT)

    def _print_plan(self, path, plan):
        table = plan.table
        write = self.stdout.write
        write(HEADING_FILE % {"name": path.name, "format": table.file_format.upper()})
        if table.file_format == "csv":
            delimiter = DELIMITER_NAMES.get(table.delimiter, repr(table.delimiter))
            write(HEADING_ENCODING % {"encoding": table.encoding, "delimiter": delimiter})
        if table.sheet:
            write(HEADING_SHEET % {"sheet": table.sheet})
        write(HEADING_HEADER_ROW % {"row": table.header_row})
        if table.sample:
            write(str(HEADING_SAMPLE))
            for line in table.sample.splitlines()[:SAMPLE_LINES]:
                write(f"  | {line}")
        write(str(HEADING_MAPPING))
        for field, column in plan.mapping.items():
            if column is not None:
                write(f"  {_field_label(field)} <- {table.headers[column]}")
        unmapped = [_field_label(field) for field, column in plan.mapping.items() if column is None]
        if unmapped:
            write(HEADING_UNMAPPED % {"fields": ", ".join(unmapped)})
        if plan.missing_columns:
            columns = ", ".join(f"”{label}”" for label in plan.missing_columns)
            write(imports.MISSING_COLUMNS % {"columns": columns})
        used = {column for column in plan.mapping.values() if column is not None}
        unused = [header for index, header in enumerate(table.headers) if index not in used]
        if unused:
            write(HEADING_UNUSED % {"columns": ", ".join(f"”{h}”" for h in unused)})
        if plan.default_category:
            label = Device.Category(plan.default_category).label
            write(HEADING_DEFAULT_CATEGORY % {"category": label})
        counts = plan.counts
        write(
            HEADING_COUNTS
            % {
                "counts": ", ".join(
                    f"{outcome.label} {counts.get(outcome, 0)}" for outcome in Outcome
                )
            }
        )
        notes = {}
        for row in plan.rows:
            if row.outcome == Outcome.IMPORT:
                for reason in row.reasons:
                    notes.setdefault(str(reason), []).append(row.number)
                continue
            write(
                ROW_LINE
                % {
                    "row": row.number,
                    "outcome": Outcome(row.outcome).label,
                    "reasons": "; ".join(str(reason) for reason in row.reasons),
                }
            )
        # Notes on rows to import (where a category came from) would repeat on thousands of
        # rows: each is printed once with the rows it concerns.
        for note, numbers in notes.items():
            write(NOTE_LINE % {"note": note, "count": len(numbers), "rows": _row_list(numbers)})


def _row_list(numbers):
    shown = ", ".join(str(number) for number in numbers[:NOTE_ROWS_SHOWN])
    return shown + (" …" if len(numbers) > NOTE_ROWS_SHOWN else "")


def _field_label(name):
    return str(Device._meta.get_field(name).verbose_name)


def _refusal(error):
    """The refusal's Finnish messages, one a line (the rows they name included)."""
    messages = getattr(error, "row_errors", None) or error.messages
    lines = [str(message) for message in messages]
    if isinstance(error, spreadsheets.ImportRejected) and len(lines) > 1:
        lines.insert(0, str(IMPORT_REFUSED))
    return "\n".join(lines)
