"""Device-list templates to download: the Finnish column names the import recognises and one
example row, as XLSX or as CSV the way Finnish Excel saves it (BOM, semicolons).

The headers are the fields' own Finnish names, the names the import preview shows; a test
reads each template back through the import so the template and the mapping cannot drift."""

import io

from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Font

from devices.models import Device
from kierratys.csv_export import csv_lines

# A laptop as a technician would type it. Blank cells (the IMEI of a laptop) are still
# columns: the template shows every field the list can fill.
EXAMPLE_ROW = {
    "category": "kannettava",
    "manufacturer": "Lenovo",
    "model": "ThinkPad T480",
    "serial_number": "PF1A2B3C",
    "imei": "",
    "asset_tag": "IT-0042",
    "cpu": "Intel Core i5-8350U",
    "ram_gb": "8",
    "storage_gb": "256",
    "storage_type": "SSD",
    "screen_inches": "14",
    "operating_system": "Windows 11 Pro",
    "condition_grade": "B",
    "has_charger": "kyllä",
    "has_case": "ei",
    "accessories_note": "telakka",
    "notes": "näppäimistössä kulumaa",
}

# Codes typed as numbers turn into 1.23E+14 in Excel; these columns are formatted as text.
TEXT_FIELDS = ("serial_number", "imei", "asset_tag")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template_headers(fields):
    return [str(Device._meta.get_field(name).verbose_name) for name in fields]


def template_csv(fields):
    """The template as CSV bytes: UTF-8 with a BOM, semicolons, one example row."""
    lines = csv_lines(template_headers(fields), [[EXAMPLE_ROW[name] for name in fields]])
    return "".join(lines).encode("utf-8")


def template_xlsx(fields):
    """The template as XLSX bytes: bold headers, code columns as text, one example row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = gettext("Laitteet")[:31]
    sheet.append(template_headers(fields))
    sheet.append([EXAMPLE_ROW[name] for name in fields])
    for index, name in enumerate(fields, start=1):
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True)
        letter = header.column_letter
        sheet.column_dimensions[letter].width = max(12, len(str(header.value)) + 2)
        if name in TEXT_FIELDS:
            sheet.column_dimensions[letter].number_format = "@"
            sheet.cell(row=2, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
