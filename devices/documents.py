"""The devices' documents: barcode labels (an A4 sheet of 3x8 and a single 62 mm thermal
label) and the donor's certificate of sanitization for a batch (NIST SP 800-88 Rev. 1, App. G).

On the certificate each device appears once: erased (each storage medium with the erasure
that removed the donor's data), disposed (with how), or pending; devices.certificate_rows
decides which. While any device is pending the certificate says that it is partial. A QR
code and a short code lead to the public verification page of the issued certificate."""

import io

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from devices.certificate_rows import certificate_rows
from devices.certificate_text import device_texts
from devices.erasure_coverage import validation_required
from devices.models import Device, DonationBatch
from devices.services.certificates import certificate_issue
from kierratys.barcodes import PIXELS_PER_MODULE, bar_rows_png, code128_modules, code128_svg
from kierratys.pdf import render_pdf

LABELS_PER_SHEET = 24  # 3 columns x 8 rows of 70 x 37 mm on A4
COLUMNS = 3
LABEL_WIDTH_MM, LABEL_HEIGHT_MM = 70, 37
SHEET_TOP_MM = 0.5  # (297 - 8 x 37) / 2, also the @page margin in labels.css
# The sheet's bars are a third of a label high (_sheet_barcodes), ending 16 mm down it.
BARCODE_HEIGHT_MM = LABEL_HEIGHT_MM / 3
BARCODE_TOP_MM, MODULE_MM = 16 - BARCODE_HEIGHT_MM, 0.33
PIXEL_MM = MODULE_MM / PIXELS_PER_MODULE
SHEET_PIXELS = round(210 / PIXEL_MM)
# The sheet's texts are in DejaVu Sans Mono (labels.css), every character this many em wide,
# at these sizes: a text is placed in its label by counting characters.
MONO_ADVANCE_EM = 1233 / 2048
CODE_PT, WHAT_PT = 11, 6.5
MM_PER_PT = 25.4 / 72
# One line under the code at 6.5 pt: 48 characters are 66.3 mm.
WHAT_MAX_CHARS = 48


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


def _sheet_barcodes(labels):
    """Every barcode of one sheet as one image: a pixel column a third of a module wide, a
    pixel row a third of a label high, the bars' rows and two white rows between them.

    Stretched without smoothing (labels.css: image-rendering), the image is exactly the
    bars, and one small image costs WeasyPrint a fraction of drawing them (each dash of a
    dashed SVG line took about twenty Python calls, a sheet half the one-page PDF's time).
    """
    rows = []
    for start in range(0, len(labels), COLUMNS):
        bars = []
        for column, label in enumerate(labels[start : start + COLUMNS]):
            modules = code128_modules(label["code"])
            x = column * LABEL_WIDTH_MM + (LABEL_WIDTH_MM - len(modules) * MODULE_MM) / 2
            bars.append((round(x / PIXEL_MM), modules))
        rows.append(bars)
    # Two white pixel rows between two rows of bars; the image ends with the last bars.
    pixel_rows = [pixels for bars in rows for pixels in (bars, [], [])][:-2]
    # The <img>'s alt is the drawing's alternative text in the tagged PDF. The printed texts
    # are read a row of codes, then that row's descriptions; here each code comes with its own.
    alternative = _("Viivakoodit: %(codes)s") % {
        "codes": ", ".join(f"{label['code']} ({_what(label)})" for label in labels)
    }
    return format_html(
        '<img class="bars" src="{}" alt="{}" style="top: {}mm; width: {}mm; height: {}mm">',
        bar_rows_png(pixel_rows, SHEET_PIXELS),
        alternative,
        f"{SHEET_TOP_MM + BARCODE_TOP_MM:.3f}",
        f"{SHEET_PIXELS * PIXEL_MM:.3f}",
        f"{len(pixel_rows) * BARCODE_HEIGHT_MM:.3f}",
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
