"""Barcode labels as PDFs: an A4 sheet of 3x8 labels and a single 62 mm thermal label."""

from devices.barcodes import code128_svg
from kierratys.pdf import render_pdf

LABELS_PER_SHEET = 24  # 3 columns x 8 rows of 70 x 37 mm on A4


def _label(device, barcode):
    return {
        "code": device.inventory_code,
        "barcode": barcode(device.inventory_code),
        "category": device.get_category_display(),
        "manufacturer": device.manufacturer,
        "model": device.model,
    }


def label_sheet_pdf(devices, *, barcode=code128_svg):
    """A4 sheets, 24 labels a page; a page never starts a label it cannot finish."""
    labels = [_label(device, barcode) for device in devices]
    pages = [labels[i : i + LABELS_PER_SHEET] for i in range(0, len(labels), LABELS_PER_SHEET)]
    return render_pdf("devices/labels_sheet.html", {"pages": pages})


def thermal_label_pdf(device):
    """One label for a 62 mm continuous thermal roll."""
    return render_pdf("devices/label_thermal.html", {"label": _label(device, code128_svg)})
