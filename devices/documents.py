"""The devices' documents: barcode labels (an A4 sheet of 3x8 and a single 62 mm thermal
label) and the donor's certificate of sanitization for a batch (NIST SP 800-88 Rev. 1, App. G).

On the certificate each device appears once: erased (each storage medium with the erasure
that removed the donor's data), disposed (with how), or pending; devices.certificate_rows
decides which. While any device is pending the certificate says that it is partial. A QR
code and a short code lead to the public verification page of the issued certificate."""

import io
import re

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from devices.certificate_rows import certificate_rows
from devices.certificate_text import device_texts
from devices.erasure_coverage import validation_required
from devices.models import Device, DonationBatch
from devices.services.certificates import certificate_issue
from kierratys.barcodes import code128_modules, code128_svg
from kierratys.pdf import render_pdf

LABELS_PER_SHEET = 24  # 3 columns x 8 rows of 70 x 37 mm on A4
COLUMNS = 3
LABEL_WIDTH_MM, LABEL_HEIGHT_MM = 70, 37
SHEET_TOP_MM = 0.5  # (297 - 8 x 37) / 2, also the @page margin in labels.css
BARCODE_TOP_MM, BARCODE_HEIGHT_MM, MODULE_MM = 4.0, 12.0, 0.33
# The sheet's texts are in DejaVu Sans Mono (labels.css), every character this many em wide,
# at these sizes: a text is placed in its label by counting characters.
MONO_ADVANCE_EM = 1233 / 2048
CODE_PT, WHAT_PT = 11, 6.5
MM_PER_PT = 25.4 / 72
# One line under the code at 6.5 pt: 48 characters are 66.3 mm.
WHAT_MAX_CHARS = 48
BAR_RUNS = re.compile("1+|0+")


def _label(device, barcode=None, category=None):
    return {
        "code": device.inventory_code,
        "barcode": barcode(device.inventory_code) if barcode else "",
        "category": category or device.get_category_display(),
        "manufacturer": device.manufacturer,
        "model": device.model,
    }


def _what(label):
    """Category, maker and model on one line, cut here rather than clipped by the layout.

    Every run of whitespace is one space: a tab or a line break typed into a model name
    would move the sheet's next labels (_sheet_line)."""
    what = " ".join(f"{label['category']}, {label['manufacturer']} {label['model']}".split())
    return what if len(what) <= WHAT_MAX_CHARS else what[: WHAT_MAX_CHARS - 1] + "…"


def _bar_runs(code):
    """Widths in modules of the alternating bars and spaces, starting with a bar."""
    return [len(run) for run in BAR_RUNS.findall(code128_modules(code))]


def _sheet_barcodes(labels):
    """Every barcode of one sheet in a single SVG, each row of labels one dashed line.

    A line as thick as the bars are tall, dashed bar/space by the Code128 runs, draws
    exactly the bars; the distance from one label's last bar to the next label's first
    is one more space of the pattern. Eight lines a sheet cost WeasyPrint a fraction of
    24 separate SVG images of several rectangles each (or of 24 lines).
    """
    lines = []
    for start in range(0, len(labels), COLUMNS):
        row = start // COLUMNS
        dashes, x_start, x_end = [], None, None
        for column, label in enumerate(labels[start : start + COLUMNS]):
            runs = _bar_runs(label["code"])
            width = sum(runs) * MODULE_MM
            x = column * LABEL_WIDTH_MM + (LABEL_WIDTH_MM - width) / 2
            if x_start is None:
                x_start = x
            else:
                dashes.append(x - x_end)
            dashes += [run * MODULE_MM for run in runs]
            x_end = x + width
        # A trailing space keeps the dash pattern even, so the line is only these runs.
        dashes.append(MODULE_MM)
        y = SHEET_TOP_MM + row * LABEL_HEIGHT_MM + BARCODE_TOP_MM + BARCODE_HEIGHT_MM / 2
        pattern = " ".join(f"{dash:.2f}" for dash in dashes)
        lines.append((f"{x_start:.2f}", f"{y:.2f}", f"{x_end - x_start:.2f}", pattern))
    # The <title> is the drawing's alternative text in the tagged PDF. The printed texts are
    # read a row of codes, then that row's descriptions; here each code comes with its own.
    alternative = _("Viivakoodit: %(codes)s") % {
        "codes": ", ".join(f"{label['code']} ({_what(label)})" for label in labels)
    }
    # fill="none": a line filled as well as stroked left a hairline through the spaces.
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="bars" width="210mm" height="297mm" '
        'viewBox="0 0 210 297" role="img" aria-label="{}"><title>{}</title>'
        '<g fill="none" stroke="#000" stroke-width="{}">{}</g></svg>',
        alternative,
        alternative,
        BARCODE_HEIGHT_MM,
        format_html_join(
            "", '<path d="M{} {}h{}" stroke-dasharray="{}"/>', lines
        ),  # digits and spaces only
    )


def _sheet_line(texts, size_pt):
    """One line of a sheet's row: each label's text centred in its 70 mm by leading spaces.

    A tab (labels.css: tab stops 70 mm apart) starts the next label. The block is half a
    character right of the sheet's edge, so a text lands within a quarter of a character of
    the centre (exactly for a code of an odd length, as every DK + 7 digits code is).
    """
    per_label = LABEL_WIDTH_MM / (MONO_ADVANCE_EM * size_pt * MM_PER_PT)
    return "\t".join(
        " " * max(0, round((per_label - len(text)) / 2 - 0.5)) + text for text in texts
    )


def _sheet_texts(labels):
    """The texts of one sheet as two blocks of eight lines, a line a row of labels.

    WeasyPrint's time goes by the blocks, lines and fonts it lays out and draws, not by the
    characters: one block of lines 37 mm high (labels.css) places every code of a sheet,
    another every description, instead of a block or two a label.
    """
    rows = [labels[start : start + COLUMNS] for start in range(0, len(labels), COLUMNS)]
    return {
        "codes": "\n".join(_sheet_line([label["code"] for label in row], CODE_PT) for row in rows),
        "whats": "\n".join(_sheet_line([_what(label) for label in row], WHAT_PT) for row in rows),
    }


def label_sheet_pdf(devices):
    """A4 sheets, 24 labels a page; a page never starts a label it cannot finish."""
    # get_category_display() makes a dict of every choice on each call: once a sheet instead.
    categories = {value: str(name) for value, name in Device.Category.choices}
    labels = [_label(device, category=categories.get(device.category)) for device in devices]
    pages = []
    for start in range(0, len(labels), LABELS_PER_SHEET):
        page = labels[start : start + LABELS_PER_SHEET]
        pages.append({"barcodes": _sheet_barcodes(page), **_sheet_texts(page)})
    return render_pdf("devices/labels_sheet.html", {"pages": pages})


def thermal_label_pdf(device):
    """One label for a 62 mm continuous thermal roll."""
    return render_pdf("devices/label_thermal.html", {"label": _label(device, code128_svg)})


CERTIFICATE_TEMPLATE = "devices/certificate_pdf.html"
QR_SIZE_MM = 32


def verification_url(certificate):
    """The absolute address of the certificate's public verification page (the QR code's)."""
    path = reverse("devices:certificate_verify", kwargs={"code": certificate.verification_code})
    return f"{settings.SITE_URL}{path}"


def verification_typing_url():
    """The address to type a code at, printed beside the code for those without a camera."""
    return f"{settings.SITE_URL}{reverse('devices:certificate_verify_form')}"


def grouped_code(code):
    """ABCD-EFGH-IJKL-MNOP: the verification code as printed, in groups of four."""
    return "-".join(code[start : start + 4] for start in range(0, len(code), 4))


def verification_qr_svg(url):
    """The QR code of `url` as inline SVG: segno draws it as one path, which WeasyPrint
    lays out in one go (a data: URI would be refused by the static-only URL fetcher)."""
    text = _("QR-koodi: %(url)s") % {"url": url}
    buffer = io.BytesIO()
    # The <title> is the figure's alternative text in the tagged PDF (WeasyPrint reads
    # an inline SVG's title, not its aria-label); segno escapes it.
    segno.make(url, error="m").save(
        buffer,
        kind="svg",
        xmldecl=False,
        nl=False,
        omitsize=True,
        svgclass="qr",
        lineclass=None,
        title=text,
    )
    svg = buffer.getvalue().decode()
    # role and label: the name of the image in HTML. The rest is segno's own markup
    # (which escapes what it writes).
    label = escape(text)
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))


def certificate_pdf(certificate):
    """The PDF of an issued certificate (ErasureCertificate), in the donor's language.

    Prints the rows the certificate was counted from when it carries them
    (devices.services.certificates.certificate_issue); otherwise reads them again."""
    batch = DonationBatch.objects.select_related("donor").get(pk=certificate.batch_id)
    rows = getattr(certificate, "rows", None) or certificate_rows(batch)
    url = verification_url(certificate)
    with translation.override(batch.donor.language):
        context = {
            "certificate": certificate,
            "batch": batch,
            "donor": batch.donor,
            "rows": rows,
            "verification_url": url,
            "verification_typing_url": verification_typing_url(),
            "verification_code": grouped_code(certificate.verification_code),
            "qr_code": verification_qr_svg(url),
            "qr_size_mm": QR_SIZE_MM,
            "validation_required": validation_required(),
            # One table layout for the three groups; only the first is shown when empty.
            "sections": [
                {
                    "title": _("Tyhjennetyt laitteet"),
                    "rows": rows.erased,
                    "texts": device_texts(rows.erased),
                    "empty": _("Ei tyhjennettyjä laitteita."),
                },
                {
                    "title": _("Poistetut laitteet"),
                    "rows": rows.disposed,
                    "texts": device_texts(rows.disposed),
                    "empty": "",
                },
                {
                    "title": _("Odottaa tyhjennystä"),
                    "rows": rows.pending,
                    "texts": device_texts(rows.pending),
                    "empty": "",
                },
            ],
        }
        return render_pdf(CERTIFICATE_TEMPLATE, context)


def batch_certificate_pdf(batch, *, actor):
    """Issue (or reuse) the batch's certificate as `actor` and print it."""
    return certificate_pdf(certificate_issue(batch=batch, actor=actor))


def certificate_filename(certificate):
    return f"tyhjennystodistus-{certificate.batch.reference}-{certificate.number}.pdf"
