"""CSV files that Finnish Excel opens right, and that cannot carry a formula.

- UTF-8 with a byte-order mark: without it Excel reads the file as Windows-1252
  and shows "HÃ¤meenlinna" for Hämeenlinna.
- Semicolon as the delimiter: Excel splits a double-clicked CSV on the list
  separator of the Windows locale, which is ";" in Finland (the comma is the
  decimal separator there). Decimals are written with a comma for the same reason.
- A cell that starts with = + - @ (or a tab or carriage return) is a formula to
  a spreadsheet; such text cells get a leading apostrophe, so a model name such
  as "=HYPERLINK(...)" typed at intake stays text (OWASP "CSV injection").
"""

import csv
import datetime
import decimal

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.formats import date_format

DELIMITER = ";"
BOM = "\ufeff"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text):
    """Prefix a text cell that a spreadsheet would run as a formula with an apostrophe."""
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def cell(value):
    """One value as the text of a cell: Finnish dates and decimals, texts neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "kyllä" if value else "ei"
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, float | decimal.Decimal):
        return str(value).replace(".", ",")
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


class _Line:
    """A file-like object whose write() hands back the line for streaming."""

    def write(self, value):
        return value


def csv_lines(header, rows):
    """The file's text, line by line: BOM, header, then one line per row."""
    writer = csv.writer(_Line(), delimiter=DELIMITER, lineterminator="\r\n")
    yield BOM + writer.writerow([cell(value) for value in header])
    for row in rows:
        yield writer.writerow([cell(value) for value in row])


def csv_response(filename, header, rows):
    """Stream rows (any iterable, e.g. a queryset iterator) as a CSV download."""
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_lines(header, rows)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
