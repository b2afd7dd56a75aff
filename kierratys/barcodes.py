"""Code128 barcodes of inventory codes, drawn as one SVG path.

python-barcode's SVG writer draws one <rect> per module; WeasyPrint lays out
each of them, which makes a label sheet several times slower. The bar pattern
from `Code128(...).build()` drawn as a single path renders the same bars.
"""

from barcode import Code128
from django.utils.html import format_html
from django.utils.safestring import mark_safe

QUIET_ZONE_MODULES = 10


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
