"""Where the label sheet prints each label's texts, and what a screen reader is told.

The sheet draws a page's texts as two blocks of lines, one line a row of labels, so these
tests read the printed positions back (poppler's pdftotext -bbox) rather than trusting
the layout: each code and description must sit centred under its own barcode, inside its
own 70 x 37 mm label of the printed sheet.
"""

import io
import shutil
import subprocess
from xml.etree import ElementTree

import pytest
from django.utils import translation
from pypdf import PdfReader

from devices import documents
from devices.models import Device
from tests.factories import make_batch, make_device

MM = 72 / 25.4  # PDF points per millimetre
CENTRE_TOLERANCE_MM = 1.0  # a quarter of a code character is 0.6 mm
MODELS = ["ThinkPad T480", "EliteBook 840 G5", "Latitude 5490", "iPad 7", "X1"]


@pytest.fixture
def sheet_devices(donor, technician):
    batch = make_batch(donor, technician, declared_count=25)
    return [
        make_device(batch, technician, model=MODELS[n % len(MODELS)])
        for n in range(documents.LABELS_PER_SHEET)
    ]


def printed_words(pdf, tmp_path):
    """(text, x0, y0, x1, y1) in mm from the page's top left corner, for each printed word."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is needed to read where the words are printed")
    source = tmp_path / "sheet.pdf"
    source.write_bytes(pdf)
    html = subprocess.run(
        ["pdftotext", "-bbox", source, "-"], capture_output=True, text=True, check=True
    ).stdout
    tree = ElementTree.fromstring(html.split("<!DOCTYPE", 1)[0] + html[html.index("<html") :])
    words = []
    for word in tree.iter("{http://www.w3.org/1999/xhtml}word"):
        box = [float(word.get(name)) / MM for name in ("xMin", "yMin", "xMax", "yMax")]
        words.append((word.text, *box))
    return words


def label_box(index):
    row, column = divmod(index, documents.COLUMNS)
    left = column * documents.LABEL_WIDTH_MM
    top = documents.SHEET_TOP_MM + row * documents.LABEL_HEIGHT_MM
    return left, top


def test_each_code_and_description_is_centred_under_its_own_barcode(sheet_devices, tmp_path):
    words = printed_words(documents.label_sheet_pdf(sheet_devices), tmp_path)
    for index, device in enumerate(sheet_devices):
        left, top = label_box(index)
        centre = left + documents.LABEL_WIDTH_MM / 2
        bars_bottom = top + documents.BARCODE_TOP_MM + documents.BARCODE_HEIGHT_MM
        (code,) = [w for w in words if w[0] == device.inventory_code]
        _text, x0, y0, x1, y1 = code
        assert (x0 + x1) / 2 == pytest.approx(centre, abs=CENTRE_TOLERANCE_MM)
        assert bars_bottom < y0 < bars_bottom + 2  # just under the bars

        # The description is the line just under the code, inside the same label.
        line = [w for w in words if left < w[1] and w[3] < left + 70 and y1 < w[2] < y1 + 4]
        assert " ".join(w[0] for w in line) == documents._what(documents._label(device))
        assert (line[0][1] + line[-1][3]) / 2 == pytest.approx(centre, abs=CENTRE_TOLERANCE_MM)


def test_the_barcodes_alternative_text_names_each_code_with_its_device_in_label_order(
    sheet_devices,
):
    reader = PdfReader(io.BytesIO(documents.label_sheet_pdf(sheet_devices)))
    figures = []

    def walk(node):
        node = node.get_object()
        if node.get("/S") == "/Figure":
            figures.append(str(node["/Alt"]))
        children = node.get("/K", [])
        for child in children if isinstance(children, list) else [children]:
            child = child.get_object()
            if hasattr(child, "get") and "/S" in child:
                walk(child)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    (alternative,) = figures
    expected = ", ".join(
        f"{device.inventory_code} (kannettava tietokone, Lenovo {device.model})"
        for device in sheet_devices
    )
    assert alternative == f"Viivakoodit: {expected}"


def test_markup_tabs_and_line_breaks_in_a_model_name_stay_in_its_own_label(
    donor, technician, tmp_path
):
    batch = make_batch(donor, technician, declared_count=2)
    hostile = make_device(batch, technician, model="<b>T480</b>\t&amp;\nX")
    plain = make_device(batch, technician, model="T14")
    pdf = documents.label_sheet_pdf([hostile, plain])

    printed = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "<b>T480</b> &amp; X" in printed  # printed as text, on one line
    words = printed_words(pdf, tmp_path)
    (code,) = [w for w in words if w[0] == plain.inventory_code]
    left, top = label_box(1)
    assert (code[1] + code[3]) / 2 == pytest.approx(left + 35, abs=CENTRE_TOLERANCE_MM)
    assert top < code[2] < top + documents.LABEL_HEIGHT_MM


@pytest.mark.parametrize(
    ("language", "laptop", "tablet"),
    [("fi", "kannettava tietokone", "tabletti"), ("sv", "bärbar dator", "surfplatta")],
)
def test_each_label_names_its_own_category_in_the_language_of_whoever_prints(
    donor, technician, language, laptop, tablet
):
    batch = make_batch(donor, technician, declared_count=2)
    devices = [
        make_device(batch, technician, model="T480"),
        make_device(batch, technician, category=Device.Category.TABLET, model="iPad 7"),
    ]
    with translation.override(language):
        printed = PdfReader(io.BytesIO(documents.label_sheet_pdf(devices))).pages[0]
    text = " ".join(printed.extract_text().split())
    assert f"{laptop}, Lenovo T480" in text and f"{tablet}, Lenovo iPad 7" in text
