"""Code128 barcodes of inventory codes: as one SVG path, or as rows of pixels.

python-barcode's SVG writer draws one <rect> per module; WeasyPrint lays out
each of them, which makes a label several times slower. The bar pattern from
`Code128(...).build()` drawn as a single path renders the same bars (a thermal label);
a sheet of 24 is one small greyscale image of those patterns (devices.documents).
"""

import base64
import io

from barcode import Code128
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from PIL import Image

QUIET_ZONE_MODULES = 10
# A bar pattern as greyscale pixels, this many a module: a barcode lands within a sixth
# of a module of where it should.
PIXELS_PER_MODULE = 3
BLACK, WHITE = "\x00", "\xff"


def code128_modules(code):
    """The bar pattern as a string of '1' (bar) and '0' (space), one per module."""
    return Code128(code).build()[0]


def code128_svg(code, *, height=12.0, module_width=0.33):
    """An inline SVG (sizes in mm) of the code as one path, with quiet zones."""
    modules = code128_modules(code)
    commands = []
    run_start = None
    for index, module in enumerate(modules + "0"):
        if module == "1" and run_start is None:
            run_start = index
        elif module == "0" and run_start is not None:
            x = QUIET_ZONE_MODULES + run_start
            commands.append(f"M{x} 0h{index - run_start}v1h-{index - run_start}z")
            run_start = None
    total_modules = len(modules) + 2 * QUIET_ZONE_MODULES
    width_mm = total_modules * module_width
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="barcode" width="{}mm" height="{}mm" '
        'viewBox="0 0 {} 1" preserveAspectRatio="none" role="img" aria-label="{}">'
        # The <title> is the figure's alternative text in a tagged PDF.
        '<title>{}</title><path d="{}" fill="#000"/></svg>',
        f"{width_mm:.2f}",
        f"{height:.2f}",
        total_modules,
        code,
        code,
        mark_safe("".join(commands)),  # built above from digits only
    )


PIXELS = {ord("1"): BLACK * PIXELS_PER_MODULE, ord("0"): WHITE * PIXELS_PER_MODULE}


def pattern_pixels(modules):
    """One row of greyscale pixels (bytes, 0 bar, 255 space) of a code128_modules pattern."""
    return modules.translate(PIXELS).encode("latin-1")


def bar_rows_png(rows, width):
    """A data: URL of a greyscale PNG, `width` pixels wide and a pixel a row.

    Each row is a list of (x, modules): a code128_modules pattern's bars from pixel x; an
    empty list is a white row. Drawn stretched and without smoothing, such an image is
    exactly the bars.
    """
    lines = []
    for row in rows:
        line = bytearray(WHITE.encode("latin-1") * width)
        for x, modules in row:
            bars = pattern_pixels(modules)
            line[x : x + len(bars)] = bars
        lines.append(bytes(line))
    image = Image.frombytes("L", (width, len(lines)), b"".join(lines))
    buffer = io.BytesIO()
    # WeasyPrint compresses the pixels again for the PDF: a quick first pass is enough.
    image.save(buffer, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
