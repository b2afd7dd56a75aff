"""Reading device lists: encodings, delimiters, Excel's damage and every limit, enforced while
reading. Each file is built here in code; the two real exports are read from
../shared/testdata (never copied into the repository)."""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from devices import spreadsheets
from devices.spreadsheets import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_LINES,
    MAX_ROWS,
    ImportRejected,
    read_table,
)

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "spreadsheets"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"the real sample exports are not here ({SAMPLES})"
)

FINNISH_LIST = (
    "Laji;Valmistaja;Malli;Sarjanumero\n"
    "kannettava;Hämeen Tekniikka;Näyttötön ö-malli;PF1\n"
    "pöytäkone;Dell;OptiPlex 7060;PF2\n"
)


def refusal(name, content):
    with pytest.raises(ImportRejected) as caught:
        read_table(name, content)
    return [str(error) for error in caught.value.row_errors]


def xlsx_bytes(rows, *, title="Laitteet"):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# A minimal workbook written by hand, so that its sheet can declare any size.
_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Laitteet" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def sheet_row(number, cells):
    inline = "".join(
        f'<c r="{chr(65 + index)}{number}" t="inlineStr"><is><t>{text}</t></is></c>'
        for index, text in enumerate(cells)
    )
    return f'<row r="{number}">{inline}</row>'


def handmade_xlsx(rows_xml, *, dimension="A1:XFD1048576", extra=None):
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows_xml}</sheetData></worksheet>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in {**_PARTS, "xl/worksheets/sheet1.xml": sheet, **(extra or {})}.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.fixture
def rows_openpyxl_yields(monkeypatch):
    """How many rows openpyxl's read-only sheet handed out."""
    counter = {"rows": 0}
    real = ReadOnlyWorksheet._cells_by_row

    def counting(self, *args, **kwargs):
        for row in real(self, *args, **kwargs):
            counter["rows"] += 1
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counting)
    return counter


# Encodings and delimiters


def test_a_finnish_excel_semicolon_csv_in_cp1252_is_read():
    table = read_table("laitteet.csv", FINNISH_LIST.encode("cp1252"))
    assert (table.file_format, table.encoding, table.delimiter) == ("csv", "cp1252", ";")
    assert table.headers == ["Laji", "Valmistaja", "Malli", "Sarjanumero"]
    assert table.rows[0].values == ["kannettava", "Hämeen Tekniikka", "Näyttötön ö-malli", "PF1"]
    assert [row.number for row in table.rows] == [2, 3]
    assert "Hämeen Tekniikka" in table.sample


def test_excel_unicode_text_utf16_with_tabs_is_read():
    content = FINNISH_LIST.replace(";", "\t").encode("utf-16")
    table = read_table("laitteet.txt", content)
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert table.rows[1].values[2] == "OptiPlex 7060"
    assert table.rows[0].values[1] == "Hämeen Tekniikka"


def test_utf16_without_a_byte_order_mark_is_recognised():
    content = FINNISH_LIST.replace(";", "\t").encode("utf-16-le")
    table = read_table("laitteet.txt", content)
    assert (table.encoding, table.delimiter) == ("utf-16-le", "\t")
    assert table.rows[0].values[1] == "Hämeen Tekniikka"


def test_utf8_with_bom_keeps_the_first_header_clean():
    table = read_table("laitteet.csv", ("\ufeff" + FINNISH_LIST.replace(";", ",")).encode())
    assert (table.encoding, table.delimiter) == ("utf-8-sig", ",")
    assert table.headers[0] == "Laji"


def test_plain_utf8_is_never_second_guessed():
    table = read_table("laitteet.csv", FINNISH_LIST.encode())
    assert table.encoding == "utf-8"
    assert table.rows[0].values[2] == "Näyttötön ö-malli"


def test_quoted_delimiters_and_newlines_keep_the_spreadsheet_row_numbers():
    content = (
        'Malli,Valmistaja,Huomiot\n"ThinkPad T480, i5",Lenovo,"kaksi\nriviä"\n\nXPS 13,Dell,\n'
    )
    table = read_table("laitteet.csv", content.encode())
    assert table.delimiter == ","
    assert [(row.number, row.values[0]) for row in table.rows] == [
        (2, "ThinkPad T480, i5"),
        (5, "XPS 13"),
    ]


def test_a_binary_file_is_refused_as_not_text():
    assert refusal("laitteet.csv", bytes(range(256)) * 20) in (
        [str(spreadsheets.WRONG_ENCODING)],
        [str(spreadsheets.FILE_NOT_READABLE)],
    )


def test_old_excel_format_is_named():
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)
    assert refusal("laitteet.xls", content) == [str(spreadsheets.OLD_EXCEL_FORMAT)]


# XLSX


def test_an_xlsx_list_keeps_typed_numbers_as_typed_text():
    content = xlsx_bytes(
        [
            ["Malli", "Valmistaja", "IMEI", "Tunnus", "Vastaanotettu", "Sarjanumero"],
            ["iPhone SE", "Apple", 352099001761481, 1001.0, datetime.date(2025, 3, 1), "F17"],
            ["Galaxy A52", "Samsung", None, 15.6, None, 6377020000000000],
        ]
    )
    table = read_table("laitteet.xlsx", content)
    assert (table.file_format, table.encoding, table.delimiter) == ("xlsx", "", "")
    assert (table.sheet, table.header_row) == ("Laitteet", 1)
    assert table.rows[0].values == [
        "iPhone SE",
        "Apple",
        "352099001761481",
        "1001",
        "2025-03-01",
        "F17",
    ]
    # More than 15 digits: Excel has already lost some, so it is shown as Excel shows it.
    assert table.rows[1].values[3:] == ["15.6", "", "6.37702E+15"]
    assert "iPhone SE; Apple" in table.sample


def test_a_title_line_above_the_header_is_passed_over():
    content = xlsx_bytes([["Laitelahjoitus 2025"], [], ["Malli", "Valmistaja"], ["T480", "Lenovo"]])
    table = read_table("laitteet.xlsx", content)
    assert (table.header_row, table.headers) == (3, ["Malli", "Valmistaja"])
    assert [(row.number, row.values) for row in table.rows] == [(4, ["T480", "Lenovo"])]


def test_a_broken_xlsx_is_refused():
    assert refusal("x.xlsx", b"PK\x03\x04not really a zip") == [str(spreadsheets.FILE_NOT_READABLE)]


def test_a_declared_sheet_size_is_not_trusted(rows_openpyxl_yields):
    content = handmade_xlsx(
        sheet_row(1, ["Malli", "Valmistaja"]) + sheet_row(2, ["T480", "Lenovo"])
    )
    assert len(content) < 5000
    table = read_table("pommi.xlsx", content)
    assert [row.values for row in table.rows] == [["T480", "Lenovo"]]
    assert rows_openpyxl_yields["rows"] == 2


def test_a_last_row_numbered_a_million_is_refused_without_reading_to_it(rows_openpyxl_yields):
    rows = sheet_row(1, ["Malli", "Valmistaja"]) + sheet_row(2, ["T480", "Lenovo"])
    content = handmade_xlsx(rows + '<row r="1048576"/>')
    assert len(content) < 5000
    assert refusal("pommi.xlsx", content) == [
        str(spreadsheets.FILE_TOO_MANY_LINES % {"max": MAX_LINES})
    ]
    assert rows_openpyxl_yields["rows"] <= MAX_LINES + 1


def test_an_xlsx_with_too_many_rows_stops_at_the_limit(rows_openpyxl_yields):
    rows = sheet_row(1, ["Malli", "Valmistaja"]) + "".join(
        sheet_row(number, [f"T{number}", "Lenovo"]) for number in range(2, 2 + MAX_ROWS + 500)
    )
    assert refusal("pitka.xlsx", handmade_xlsx(rows)) == [
        str(spreadsheets.FILE_TOO_LONG % {"max": MAX_ROWS})
    ]
    assert rows_openpyxl_yields["rows"] == MAX_ROWS + 2


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(monkeypatch):
    def must_not_open(*args, **kwargs):
        raise AssertionError("openpyxl opened the file")

    monkeypatch.setattr(spreadsheets, "load_workbook", must_not_open)
    huge = "<sst>" + " " * (spreadsheets.MAX_XLSX_UNPACKED_BYTES + 1) + "</sst>"
    content = handmade_xlsx(sheet_row(1, ["Malli"]), extra={"xl/sharedStrings.xml": huge})
    assert len(content) < 200_000
    assert refusal("pommi.xlsx", content) == [
        str(spreadsheets.XLSX_TOO_LARGE_UNPACKED % {"max": 30})
    ]


# Limits


def test_an_upload_over_the_size_limit_is_refused():
    content = b"Malli\n" + b"x" * spreadsheets.MAX_UPLOAD_BYTES
    assert refusal("iso.csv", content) == [str(spreadsheets.FILE_TOO_LARGE % {"max": 5})]


def test_exactly_the_maximum_rows_are_read_and_one_more_is_refused():
    lines = ["Malli;Valmistaja"] + [f"T{n};Lenovo" for n in range(MAX_ROWS)]
    assert len(read_table("x.csv", "\n".join(lines).encode()).rows) == MAX_ROWS
    assert refusal("x.csv", "\n".join([*lines, "X1;Dell"]).encode()) == [
        str(spreadsheets.FILE_TOO_LONG % {"max": MAX_ROWS})
    ]


def test_too_many_columns_are_refused_with_the_row():
    header = ";".join(f"Sarake {n}" for n in range(MAX_COLUMNS))
    assert len(read_table("x.csv", f"{header}\n{'x;' * 99}x\n".encode()).headers) == MAX_COLUMNS
    content = f"{header}\n{'x;' * MAX_COLUMNS}x\n".encode()
    assert refusal("x.csv", content) == [
        "Rivi 2: " + str(spreadsheets.TOO_MANY_COLUMNS % {"max": MAX_COLUMNS})
    ]


def test_an_over_long_cell_is_refused_with_its_row_and_column():
    content = f"Malli;Huomiot\nT480;lyhyt\nT490;{'x' * (MAX_CELL_CHARS + 1)}\n".encode()
    assert refusal("x.csv", content) == [
        "Rivi 3: " + str(spreadsheets.CELL_TOO_LONG % {"column": "B", "max": MAX_CELL_CHARS})
    ]


def test_a_cell_over_the_csv_modules_own_limit_still_names_its_row():
    content = f'Malli;Huomiot\nT480;lyhyt\nT490;"{"x" * 140_000}"\n'.encode()
    assert refusal("x.csv", content) == [
        "Rivi 3: " + str(spreadsheets.CELL_TOO_LONG_IN_ROW % {"max": MAX_CELL_CHARS})
    ]


def test_an_over_long_xlsx_cell_is_refused_with_its_row():
    content = xlsx_bytes([["Malli", "Huomiot"], ["T480", "x" * (MAX_CELL_CHARS + 1)]])
    assert refusal("x.xlsx", content) == [
        "Rivi 2: " + str(spreadsheets.CELL_TOO_LONG % {"column": "B", "max": MAX_CELL_CHARS})
    ]


# Headers


def test_duplicate_headers_are_named_with_their_columns():
    content = b"Malli;Serial;Valmistaja;serial \nT480;A;Lenovo;B\n"
    assert refusal("x.csv", content) == [
        str(spreadsheets.DUPLICATE_HEADER % {"header": "Serial", "columns": "B, D"})
    ]


def test_a_column_without_header_but_with_data_is_named_by_its_letter():
    content = b"Malli;;Valmistaja\nT480;;Lenovo\nT490;PF123;Lenovo\n"
    assert refusal("x.csv", content) == [
        str(spreadsheets.BLANK_HEADER_WITH_DATA % {"column": "B", "row": 3})
    ]
    beyond = b"Malli;Valmistaja\nT480;Lenovo;PF1\n"
    assert refusal("x.csv", beyond) == [
        str(spreadsheets.BLANK_HEADER_WITH_DATA % {"column": "C", "row": 2})
    ]


def test_an_empty_column_without_header_is_harmless():
    table = read_table("x.csv", b"Malli;;Valmistaja;;;\nT480;;Lenovo;;;\n")
    assert table.headers == ["Malli", "", "Valmistaja"]
    assert table.rows[0].values == ["T480", "", "Lenovo"]


@pytest.mark.parametrize("content", [b"", b"\n\n", b"Malli;Valmistaja\n;\n"])
def test_a_file_without_device_rows_is_refused(content):
    assert refusal("x.csv", content) == [str(spreadsheets.FILE_EMPTY)]


# The real exports


@needs_samples
def test_the_devicehub_placeholder_list_is_read():
    table = read_table(
        "devicehub-placeholder.csv", (SAMPLES / "devicehub-placeholder.csv").read_bytes()
    )
    assert (table.encoding, table.delimiter, table.header_row) == ("utf-8", ";", 1)
    assert table.headers[:3] == ["Model", "Manufacturer", "Serial Number"]
    assert [row.values[:3] for row in table.rows] == [
        ["Vaio", "Sony", "12345678"],
        ["Vaio", "Sony", "12345679"],
        ["Vaio", "Sony", "12345680"],
    ]


@needs_samples
def test_the_snipeit_export_is_read():
    content = (SAMPLES / "snipeit-assets-sample.csv").read_bytes()
    table = read_table("snipeit-assets-sample.csv", content)
    assert (table.encoding, table.delimiter) == ("utf-8-sig", ",")
    assert len(table.headers) == 21
    assert table.headers[0] == "Company"
    assert len(table.rows) == 22
    assert table.rows[0].values[8] == 'Macbook Pro 13"'
