"""Reading a device list (CSV or XLSX) into a Table of rows with their spreadsheet row numbers.

Reading only: this module knows no form, no model rule and no service. Every
limit is enforced while reading, never after: a file that declares a million
rows, or unpacks to hundreds of megabytes, is refused before it costs time.

Files are read with the standard `csv` module and openpyxl rather than tablib's
loaders, because those drop blank lines and lose the row numbers that the user
must see. Text files are decoded strictly as UTF-8 (with or without a byte order
mark) first; only then does charset-normalizer choose among the encodings Excel
writes here (cp1252 for "CSV (semicolon separated)", UTF-16 for "Unicode text"),
so a plain ASCII or UTF-8 file is never second-guessed."""

import csv
import io
import re
import zipfile
from dataclasses import dataclass

import charset_normalizer
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
MAX_COLUMNS = 100
MAX_CELL_CHARS = 10_000
# Lines read in all, blank ones included: a sheet whose rows are mostly empty (or
# whose last row is numbered a million) is refused without walking it to its end.
MAX_LINES = MAX_ROWS * 5
# An XLSX is a zip: its members' unpacked total is checked before openpyxl opens it.
MAX_XLSX_UNPACKED_BYTES = 30 * 1024 * 1024
MAX_XLSX_MEMBERS = 1000
# The header is the first row with at least two cells filled, within the first rows:
# a title line ("Laitteet 2025") above it is passed over.
HEADER_SEARCH_ROWS = 10
SAMPLE_LINES = 5
SAMPLE_LINE_CHARS = 200

# Only encodings Excel writes for Finnish and Swedish text; a guess among every
# encoding in the world mistakes short cp1252 files for Mac Roman or DOS code pages.
GUESSED_ENCODINGS = ("cp1252", "utf_16_le", "utf_16_be")
ENCODING_NAMES = {"cp1252": "cp1252", "utf_16_le": "utf-16-le", "utf_16_be": "utf-16-be"}
DELIMITERS = ";,\t"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# 15 significant digits is all Excel keeps of a number: longer ones have lost digits.
_EXCEL_DIGITS = 10**15


FILE_NOT_READABLE = _(
    "Tiedostoa ei voitu lukea. Käytä CSV- tai XLSX-tiedostoa, jonka ensimmäisellä rivillä "
    "ovat sarakkeiden nimet."
)
FILE_EMPTY = _("Tiedostossa ei ole yhtään laiteriviä.")
FILE_TOO_LONG = _("Tiedostossa on yli %(max)s riviä. Jaa se osiin.")
FILE_TOO_MANY_LINES = _(
    "Tiedostossa on yli %(max)s riviä tyhjät rivit mukaan lukien. Poista tyhjät rivit tietojen "
    "välistä ja alta tai kopioi laiteluettelo uuteen työkirjaan."
)
FILE_TOO_LARGE = _("Tiedosto on yli %(max)s Mt. Jaa se osiin tai jätä ylimääräiset sarakkeet pois.")
XLSX_TOO_LARGE_UNPACKED = _(
    "XLSX-tiedosto on purettuna yli %(max)s Mt. Kopioi laiteluettelon taulukko uuteen "
    "työkirjaan tai tallenna se CSV-muodossa."
)
OLD_EXCEL_FORMAT = _(
    "Vanhaa Excel-muotoa (.xls) ei voi lukea. Tallenna tiedosto Excelissä muodossa "
    "”Excel-työkirja (.xlsx)” tai ”CSV UTF-8”."
)
WRONG_ENCODING = _(
    "Tiedoston merkistöä ei tunnistettu. Tallenna tiedosto muodossa ”CSV UTF-8” tai käytä "
    "XLSX-tiedostoa."
)
TOO_MANY_COLUMNS = _("rivillä on tietoja yli %(max)s sarakkeessa. Poista ylimääräiset sarakkeet.")
CELL_TOO_LONG = _("sarakkeen %(column)s solussa on yli %(max)s merkkiä.")
CELL_TOO_LONG_IN_ROW = _(
    "rivillä on solu, jossa on yli %(max)s merkkiä (tai lainausmerkki, jota ei ole suljettu)."
)
BLANK_HEADER_WITH_DATA = _(
    "Sarakkeella %(column)s ei ole otsikkoa, mutta siinä on tietoja (ensimmäisen kerran "
    "rivillä %(row)s). Anna sarakkeelle nimi otsikkoriville tai poista sarake."
)
DUPLICATE_HEADER = _(
    "Sarakkeen nimi ”%(header)s” on otsikkorivillä useammin kuin kerran (sarakkeet "
    "%(columns)s). Anna sarakkeille eri nimet tai poista ylimääräinen."
)
ROW_ERROR = pgettext_lazy("import row error", "Rivi %(row)s: %(message)s")


@dataclass(frozen=True)
class RowError:
    """One refusal: `row` is the row number the spreadsheet shows, None for the whole file."""

    row: int | None
    message: str

    def __str__(self):
        if not self.row:
            return str(self.message)
        return str(ROW_ERROR % {"row": self.row, "message": self.message})


class ImportRejected(ValidationError):
    """The file or some of its rows are not acceptable; nothing was written."""

    def __init__(self, errors):
        self.row_errors = list(errors)
        super().__init__([str(error) for error in self.row_errors])


@dataclass
class SheetRow:
    number: int
    values: list


@dataclass
class Table:
    file_format: str
    encoding: str
    delimiter: str
    sheet: str
    header_row: int
    headers: list
    rows: list
    sample: str


def _refuse(message, row=None):
    return ImportRejected([RowError(row, message)])


def read_table(name, content):
    """The header and data rows of a CSV or XLSX file; raises ImportRejected."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise _refuse(FILE_TOO_LARGE % {"max": MAX_UPLOAD_BYTES // (1024 * 1024)})
    lowered = (name or "").lower()
    if content.startswith(_OLE_SIGNATURE) or lowered.endswith(".xls"):
        raise _refuse(OLD_EXCEL_FORMAT)
    if content.startswith(b"PK\x03\x04") or lowered.endswith((".xlsx", ".xlsm")):
        return _read_xlsx(content)
    return _read_csv(content)


def decode_text(content):
    """(text, encoding name) of a text file: UTF-8 strictly first, then a limited guess."""
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if content.startswith(bom):
            try:
                return content.decode(encoding), encoding
            except UnicodeDecodeError:
                raise _refuse(WRONG_ENCODING) from None
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and "\x00" not in text:
        return text, "utf-8"
    best = charset_normalizer.from_bytes(content, cp_isolation=list(GUESSED_ENCODINGS)).best()
    if best is None or best.encoding not in ENCODING_NAMES:
        raise _refuse(WRONG_ENCODING)
    text = str(best)
    if "\x00" in text:
        raise _refuse(FILE_NOT_READABLE)
    return text, ENCODING_NAMES[best.encoding]


def sniff_delimiter(text):
    """The delimiter of the first lines among ; , and tab (Finnish Excel writes ;)."""
    head = "\n".join(text.splitlines()[:SAMPLE_LINES])
    try:
        return csv.Sniffer().sniff(head, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first_line = head.split("\n", 1)[0]
        counts = {delimiter: first_line.count(delimiter) for delimiter in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _read_csv(content):
    text, encoding = decode_text(content)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def numbered_rows():
        start = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                # The csv module's own field limit (131,072 characters) is far above ours.
                if "field larger" in str(error):
                    raise _refuse(CELL_TOO_LONG_IN_ROW % {"max": MAX_CELL_CHARS}, start) from None
                raise _refuse(FILE_NOT_READABLE) from None
            # line_num counts physical lines: a quoted newline keeps the row's first line.
            yield start, cells
            start = reader.line_num + 1

    sample = "\n".join(line[:SAMPLE_LINE_CHARS] for line in text.splitlines()[:SAMPLE_LINES])
    header_row, headers, rows = _collect(numbered_rows())
    return Table(
        file_format="csv",
        encoding=encoding,
        delimiter=delimiter,
        sheet="",
        header_row=header_row,
        headers=headers,
        rows=rows,
        sample=sample,
    )


def _check_zip(content):
    try:
        members = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _refuse(FILE_NOT_READABLE) from None
    # The sizes are the zip directory's own; zipfile stops at them when unpacking.
    if len(members) > MAX_XLSX_MEMBERS:
        raise _refuse(FILE_NOT_READABLE)
    if sum(member.file_size for member in members) > MAX_XLSX_UNPACKED_BYTES:
        raise _refuse(XLSX_TOO_LARGE_UNPACKED % {"max": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)})


def _read_xlsx(content):
    _check_zip(content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a broken file
        raise _refuse(FILE_NOT_READABLE) from None
    try:
        sheet = book.active
        if sheet is None or not hasattr(sheet, "reset_dimensions"):
            raise _refuse(FILE_NOT_READABLE)
        # The sheet's declared size (A1:XFD1048576 in some exports) is not trusted:
        # without it openpyxl reads the rows the XML really has.
        sheet.reset_dimensions()
        cells = sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
        sample_lines = []

        def numbered_rows():
            for number, values in enumerate(cells, start=1):
                texts = [xlsx_cell_text(value) for value in values]
                if len(sample_lines) < SAMPLE_LINES:
                    sample_lines.append("; ".join(_trim_end(texts))[:SAMPLE_LINE_CHARS])
                yield number, texts

        try:
            header_row, headers, rows = _collect(numbered_rows())
        except ImportRejected:
            raise
        except Exception:  # a damaged sheet part
            raise _refuse(FILE_NOT_READABLE) from None
        title = sheet.title
    finally:
        book.close()
    return Table(
        file_format="xlsx",
        encoding="",
        delimiter="",
        sheet=title,
        header_row=header_row,
        headers=headers,
        rows=rows,
        sample="\n".join(sample_lines),
    )


def xlsx_cell_text(value):
    """A cell's value as the text a user would have typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        if abs(value) >= _EXCEL_DIGITS:
            # Shown as Excel shows it, so that the lost digits are noticed, not imported.
            return format(value, ".5E")
        if isinstance(value, float) and value.is_integer():
            # Serials and IMEIs typed as numbers are stored as floats.
            return str(int(value))
        return str(value)
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    return str(value)


def _trim_end(cells):
    """The cells up to the last one with text in it."""
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


def _collect(numbered_rows):
    """(header row number, headers, data rows) from (number, cells) pairs, limits checked."""
    leading, rows, blank_columns = [], [], {}
    header_row, headers = None, []
    for number, cells in _checked(numbered_rows):
        if header_row is None:
            leading.append((number, cells))
            if len(leading) < HEADER_SEARCH_ROWS and _filled(cells) < 2:
                continue
            header_row, headers, later = _choose_header(leading)
            for later_number, later_cells in later:
                _add_row(rows, blank_columns, headers, later_number, later_cells)
            continue
        _add_row(rows, blank_columns, headers, number, cells)
        if len(rows) > MAX_ROWS:
            raise _refuse(FILE_TOO_LONG % {"max": MAX_ROWS})
    if header_row is None and leading:
        header_row, headers, later = _choose_header(leading)
        for later_number, later_cells in later:
            _add_row(rows, blank_columns, headers, later_number, later_cells)
    if blank_columns:
        index = min(blank_columns)
        raise _refuse(
            BLANK_HEADER_WITH_DATA
            % {"column": get_column_letter(index + 1), "row": blank_columns[index]}
        )
    if not rows:
        raise _refuse(FILE_EMPTY)
    return header_row, headers, rows


def _checked(numbered_rows):
    """The non-blank rows, trimmed, each refused at once when it breaks a limit."""
    for number, raw_cells in numbered_rows:
        if number > MAX_LINES:
            raise _refuse(FILE_TOO_MANY_LINES % {"max": MAX_LINES})
        cells = _trim_end([str(cell).strip() for cell in raw_cells])
        if len(cells) > MAX_COLUMNS:
            raise _refuse(TOO_MANY_COLUMNS % {"max": MAX_COLUMNS}, number)
        for index, cell in enumerate(cells):
            if len(cell) > MAX_CELL_CHARS:
                column = get_column_letter(index + 1)
                raise _refuse(CELL_TOO_LONG % {"column": column, "max": MAX_CELL_CHARS}, number)
        if cells:
            yield number, cells


def _filled(cells):
    return sum(1 for cell in cells if cell)


def _choose_header(leading):
    """The first row with two cells filled (a title line above is passed over), failing
    that the first row; returns it with the rows read after it."""
    number, headers = next(((n, c) for n, c in leading if _filled(c) >= 2), leading[0])
    _check_headers(headers)
    return number, headers, [(n, c) for n, c in leading if n > number]


def _add_row(rows, blank_columns, headers, number, cells):
    for index, cell in enumerate(cells):
        if cell and (index >= len(headers) or not headers[index]):
            blank_columns.setdefault(index, number)
    values = cells[: len(headers)]
    values += [""] * (len(headers) - len(values))
    rows.append(SheetRow(number=number, values=values))


def header_key(header):
    """A header compared with another: case, spacing and punctuation ignored."""
    return " ".join(re.sub(r"[^\w]+", " ", header.lower()).split())


def _check_headers(headers):
    seen = {}
    for index, header in enumerate(headers):
        if header:
            seen.setdefault(header_key(header), []).append(index)
    for indexes in seen.values():
        if len(indexes) > 1:
            raise _refuse(
                DUPLICATE_HEADER
                % {
                    "header": headers[indexes[0]],
                    "columns": ", ".join(get_column_letter(i + 1) for i in indexes),
                }
            )
