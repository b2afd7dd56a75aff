"""Reading a donor's or technician's device list (CSV or XLSX) into rows with their numbers.

Files are read with the standard `csv` module and openpyxl rather than
tablib's loaders, because those drop blank lines and lose the row numbers that
the error report must show. Each row is checked by a form class the caller
names, so this module knows no form and no service."""

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from openpyxl import load_workbook

from devices.models import Device

MAX_ROWS = 2000


FILE_NOT_READABLE = _(
    "Tiedostoa ei voitu lukea. Käytä CSV- (UTF-8) tai XLSX-tiedostoa, jonka ensimmäisellä "
    "rivillä ovat sarakkeiden nimet."
)


FILE_EMPTY = _("Tiedostossa ei ole yhtään laiteriviä.")


FILE_TOO_LONG = _("Tiedostossa on yli %(max)s riviä. Jaa se osiin.")


WRONG_ENCODING = _(
    "merkistö ei ole UTF-8. Tallenna tiedosto muodossa ”CSV UTF-8” tai käytä XLSX-tiedostoa."
)


MISSING_COLUMNS = _("Tiedostosta puuttuu sarake: %(columns)s.")


MISSING_FIELD = _("”%(field)s” puuttuu.")


UNKNOWN_CATEGORY = _(
    "tuntematon laji ”%(value)s”. Sallitut: kannettava, pöytäkone, tabletti, puhelin, muu "
    "(tai laptop, desktop, tablet, phone, other)."
)


DUPLICATE_IN_FILE = _("sarjanumero %(serial)s on tiedostossa jo rivillä %(row)s.")


ROW_ERROR = pgettext_lazy("import row error", "Rivi %(row)s: %(message)s")


# Column names people use, in Finnish and English, for each field. Compared
# after lower-casing and turning spaces, dashes and underscores into one space.
COLUMN_ALIASES = {
    "category": ("category", "laji", "kategoria", "tyyppi", "laitetyyppi", "type"),
    "manufacturer": ("manufacturer", "valmistaja", "merkki", "brand", "make"),
    "model": ("model", "malli"),
    "serial_number": ("serial", "serial number", "serial no", "sarjanumero", "s/n", "sn"),
    "asset_tag": (
        "asset tag",
        "asset",
        "inventaariotunnus",
        "lahjoittajan inventaariotunnus",
        "inventaarionumero",
        "tunnus",
    ),
    "imei": ("imei",),
    "cpu": ("cpu", "suoritin", "prosessori"),
    "ram_gb": ("ram", "ram gb", "muisti", "muisti gt", "muisti (gt)"),
    "storage_gb": ("storage", "storage gb", "tallennustila", "tallennustila gt", "levy"),
    "storage_type": ("storage type", "tallennustilan tyyppi", "levyn tyyppi"),
    "screen_inches": ("screen", "screen inches", "näyttö", "näytön koko", "näyttö tuumaa"),
    "operating_system": ("os", "operating system", "käyttöjärjestelmä"),
    "condition_grade": ("grade", "condition", "condition grade", "kunto", "kuntoluokka"),
    "has_charger": ("charger", "laturi"),
    "has_case": ("case", "kotelo", "suojakotelo"),
    "accessories_note": ("accessories", "tarvikkeet", "muut tarvikkeet"),
    "notes": ("notes", "huomiot", "lisätiedot"),
}


_COLUMN_BY_ALIAS = {alias: field for field, aliases in COLUMN_ALIASES.items() for alias in aliases}


# Category codes and their Finnish names, matched case-insensitively.
CATEGORY_ALIASES = {
    **{code: code for code in Device.Category.values},
    "kannettava": "laptop",
    "kannettava tietokone": "laptop",
    "läppäri": "laptop",
    "pöytäkone": "desktop",
    "pöytätietokone": "desktop",
    "tabletti": "tablet",
    "puhelin": "phone",
    "älypuhelin": "phone",
    "matkapuhelin": "phone",
    "muu": "other",
}


_YES = {"1", "x", "yes", "kyllä", "k", "true", "on"}


@dataclass(frozen=True)
class RowError:
    """One refused row: `row` is the line number as the spreadsheet shows it (header = 1)."""

    row: int
    message: str

    def __str__(self):
        if not self.row:
            return str(self.message)
        return str(ROW_ERROR % {"row": self.row, "message": self.message})


@dataclass(frozen=True)
class SheetRow:
    number: int
    values: dict


class ImportRejected(ValidationError):
    """The file or some of its rows are not acceptable; nothing was written."""

    def __init__(self, errors):
        self.row_errors = list(errors)
        super().__init__([str(error) for error in self.row_errors])


def parse_category(value):
    """The category code for a code or Finnish name (any case), or None."""
    return CATEGORY_ALIASES.get(" ".join(str(value or "").lower().split()))


def _column_key(header):
    text = str(header or "").strip().lower().replace("_", " ").replace("-", " ")
    return _COLUMN_BY_ALIAS.get(" ".join(text.split()))


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # Excel stores serials and IMEIs typed as numbers as floats.
        return str(int(value))
    return str(value).strip()


def read_sheet(uploaded_file):
    """The rows of a CSV or XLSX file as SheetRows keyed by field name; raises ImportRejected."""
    content = uploaded_file.read()
    name = (getattr(uploaded_file, "name", "") or "").lower()
    if name.endswith(".xlsx") or content[:2] == b"PK":
        headers, rows = _read_xlsx(content)
    else:
        headers, rows = _read_csv(content)
    keys = [_column_key(header) for header in headers]
    sheet_rows = []
    for number, cells in rows:
        values = {}
        for key, cell in zip(keys, cells, strict=False):
            if key and key not in values:
                values[key] = _cell_text(cell)
        if any(values.values()):
            sheet_rows.append(SheetRow(number, values))
    if not sheet_rows:
        raise ImportRejected([RowError(0, FILE_EMPTY)])
    if len(sheet_rows) > MAX_ROWS:
        raise ImportRejected([RowError(0, FILE_TOO_LONG % {"max": MAX_ROWS})])
    return {key for key in keys if key}, sheet_rows


def _read_csv(content):
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        bad_lines = []
        for number, line in enumerate(content.split(b"\n"), start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                bad_lines.append(RowError(number, WRONG_ENCODING))
        raise ImportRejected(bad_lines) from None
    try:
        # Finnish Excel separates with semicolons; others with commas or tabs.
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader, None)
        rows = []
        line_number = reader.line_num
        for cells in reader:
            # line_num counts physical lines: a quoted newline still maps to the row's start.
            rows.append((line_number + 1, cells))
            line_number = reader.line_num
    except csv.Error:
        raise ImportRejected([RowError(0, FILE_NOT_READABLE)]) from None
    if not headers:
        raise ImportRejected([RowError(0, FILE_EMPTY)])
    return headers, rows


def _read_xlsx(content):
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        all_rows = list(sheet.iter_rows(values_only=True))
    except Exception:  # openpyxl raises many kinds of errors for a broken file
        raise ImportRejected([RowError(0, FILE_NOT_READABLE)]) from None
    if not all_rows:
        raise ImportRejected([RowError(0, FILE_EMPTY)])
    return all_rows[0], list(enumerate(all_rows[1:], start=2))


def field_label(name):
    return str(Device._meta.get_field(name).verbose_name)


def require_columns(present, required):
    missing = [field_label(name) for name in required if name not in present]
    if missing:
        raise ImportRejected(
            [RowError(0, MISSING_COLUMNS % {"columns": ", ".join(f"”{m}”" for m in missing)})]
        )


def _row_form_data(values, defaults):
    data = dict(defaults)
    for key, value in values.items():
        if value == "" and key in data:
            continue
        data[key] = value
    for flag in ("has_charger", "has_case"):
        if flag in data:
            data[flag] = "on" if str(data[flag]).strip().lower() in _YES else ""
    return data


def _form_errors(form):
    messages = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.append(f"{label}: {error}" if label else str(error))
    return messages


def validate_rows(sheet_rows, *, form_class, required, form_kwargs=None, defaults=None):
    """Check every row with `form_class`; returns (cleaned rows, RowErrors)."""
    cleaned, errors, seen_serials = [], [], {}
    for row in sheet_rows:
        row_messages = []
        for name in required:
            if not row.values.get(name):
                row_messages.append(MISSING_FIELD % {"field": field_label(name)})
        raw_category = row.values.get("category", "")
        category = parse_category(raw_category)
        if raw_category and category is None:
            row_messages.append(UNKNOWN_CATEGORY % {"value": raw_category[:40]})
        serial = row.values.get("serial_number", "")
        if serial:
            # Case-insensitive, as the inventory's unique_device_serial constraint.
            key = serial.lower()
            if key in seen_serials:
                row_messages.append(
                    DUPLICATE_IN_FILE % {"serial": serial, "row": seen_serials[key]}
                )
            else:
                seen_serials[key] = row.number
        if not row_messages:
            data = _row_form_data({**row.values, "category": category}, defaults or {})
            form = form_class(data=data, **(form_kwargs or {}))
            if form.is_valid():
                cleaned.append((row, form.cleaned_data))
            else:
                row_messages.extend(_form_errors(form))
        errors.extend(RowError(row.number, message) for message in row_messages)
    return cleaned, errors
