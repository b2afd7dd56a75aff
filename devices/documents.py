"""The devices' documents: barcode labels (an A4 sheet of 3x8 and a single 62 mm thermal
label) and the donor's certificate of sanitization for a batch (NIST SP 800-88 Rev. 1, App. G).

On the certificate each device appears once: sanitized (with the erasure that
removed the donor's data), disposed (with how), or pending. While any device is
pending the certificate says that it is partial."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join

from devices.models import Device, DonationBatch, Erasure
from kierratys.barcodes import code128_modules, code128_svg
from kierratys.pdf import render_pdf

LABELS_PER_SHEET = 24  # 3 columns x 8 rows of 70 x 37 mm on A4
COLUMNS = 3
LABEL_WIDTH_MM, LABEL_HEIGHT_MM = 70, 37
SHEET_TOP_MM = 0.5  # (297 - 8 x 37) / 2, also the @page margin in labels.css
BARCODE_TOP_MM, BARCODE_HEIGHT_MM, MODULE_MM = 4.0, 12.0, 0.33
# One line under the code at 7 pt fits about this many characters in 66 mm.
WHAT_MAX_CHARS = 48


def _label(device, barcode=None):
    return {
        "code": device.inventory_code,
        "barcode": barcode(device.inventory_code) if barcode else "",
        "category": device.get_category_display(),
        "manufacturer": device.manufacturer,
        "model": device.model,
    }


def _what(label):
    """Category, maker and model on one line, cut here rather than clipped by the layout."""
    what = f"{label['category']}, {label['manufacturer']} {label['model']}".strip()
    return what if len(what) <= WHAT_MAX_CHARS else what[: WHAT_MAX_CHARS - 1] + "…"


def _bar_runs(code):
    """Widths in modules of the alternating bars and spaces, starting with a bar."""
    runs, previous = [], None
    for module in code128_modules(code):
        if module == previous:
            runs[-1] += 1
        else:
            runs.append(1)
            previous = module
    return runs


def _sheet_barcodes(labels):
    """Every barcode of one sheet in a single SVG, each one dashed line.

    A line as thick as the bars are tall, dashed bar/space by the Code128 runs, draws
    exactly the bars; one drawing per sheet costs WeasyPrint a fraction of 24 separate
    SVG images of several rectangles each.
    """
    lines = []
    for index, label in enumerate(labels):
        row, column = divmod(index, COLUMNS)
        runs = _bar_runs(label["code"])
        width = sum(runs) * MODULE_MM
        x = column * LABEL_WIDTH_MM + (LABEL_WIDTH_MM - width) / 2
        y = SHEET_TOP_MM + row * LABEL_HEIGHT_MM + BARCODE_TOP_MM + BARCODE_HEIGHT_MM / 2
        # A trailing space keeps the dash pattern even, so the line is only these runs.
        dashes = " ".join(f"{run * MODULE_MM:.2f}" for run in [*runs, 1])
        lines.append((f"{x:.2f}", f"{y:.2f}", f"{width:.2f}", dashes))
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="bars" width="210mm" height="297mm" '
        'viewBox="0 0 210 297"><g stroke="#000" stroke-width="{}">{}</g></svg>',
        BARCODE_HEIGHT_MM,
        format_html_join(
            "", '<path d="M{} {}h{}" stroke-dasharray="{}"/>', lines
        ),  # digits and spaces only
    )


def label_sheet_pdf(devices):
    """A4 sheets, 24 labels a page; a page never starts a label it cannot finish."""
    labels = [_label(device) for device in devices]
    for index, label in enumerate(labels):
        row, column = divmod(index % LABELS_PER_SHEET, COLUMNS)
        label.update(what=_what(label), row=row, column=column)
    pages = []
    for start in range(0, len(labels), LABELS_PER_SHEET):
        page = labels[start : start + LABELS_PER_SHEET]
        pages.append({"labels": page, "barcodes": _sheet_barcodes(page)})
    return render_pdf("devices/labels_sheet.html", {"pages": pages})


def thermal_label_pdf(device):
    """One label for a 62 mm continuous thermal roll."""
    return render_pdf("devices/label_thermal.html", {"label": _label(device, code128_svg)})


CERTIFICATE_TEMPLATE = "devices/certificate_pdf.html"


@dataclass
class CertificateRows:
    sanitized: list = field(default_factory=list)
    disposed: list = field(default_factory=list)
    pending: list = field(default_factory=list)

    @property
    def total(self):
        return len(self.sanitized) + len(self.disposed) + len(self.pending)

    @property
    def is_partial(self):
        return bool(self.pending)

    @property
    def technicians(self):
        people = {}
        for device in [*self.sanitized, *self.disposed]:
            if device.erasure is not None:
                people[device.erasure.technician_id] = device.erasure.technician
        return sorted(people.values(), key=lambda user: user.get_full_name() or user.username)


def certificate_rows(batch):
    """The batch's devices sorted into sanitized, disposed and pending, in three queries."""
    successful = (
        Erasure.objects.filter(result=Erasure.Result.PASSED)
        .select_related("technician")
        .order_by("recorded_at")
    )
    devices = (
        Device.objects.filter(batch=batch)
        .prefetch_related(Prefetch("erasures", queryset=successful, to_attr="passed_erasures"))
        .order_by("inventory_code")
    )
    rows = CertificateRows()
    for device in devices:
        # The first passed erasure is the one that removed the donor's data;
        # later ones (after a returned loan) concern clients' data.
        device.erasure = device.passed_erasures[0] if device.passed_erasures else None
        if device.status == Device.Status.DISPOSED:
            rows.disposed.append(device)
        elif device.erasure is not None:
            rows.sanitized.append(device)
        else:
            rows.pending.append(device)
    return rows


def batch_certificate_pdf(batch):
    """The certificate PDF of `batch` in the donor's language."""
    batch = DonationBatch.objects.select_related("donor").get(pk=batch.pk)
    rows = certificate_rows(batch)
    context = {
        "batch": batch,
        "donor": batch.donor,
        "rows": rows,
        "issued_at": timezone.localtime(),
        "language": batch.donor.language,
    }
    with translation.override(batch.donor.language):
        return render_pdf(CERTIFICATE_TEMPLATE, context)


def certificate_filename(batch):
    return f"tyhjennystodistus-{batch.reference}.pdf"
