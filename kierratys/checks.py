"""System checks of the machine the project runs on: WeasyPrint's system libraries.

WeasyPrint loads Pango, HarfBuzz and fontconfig from the system when it is
imported, and raises OSError when one is missing. `make run` runs
`manage.py check --tag pdf --fail-level WARNING` before migrating, so a machine
without them is told which Debian packages to install. It has to be run by its tag:
a full `manage.py check` imports the URLconf, and with it kierratys.pdf and WeasyPrint,
so there the OSError comes first.
"""

import importlib

from django.core import checks

PDF_TAG = "pdf"
# Debian/Ubuntu packages of what WeasyPrint loads (text/ffi.py) and the fonts the
# PDF stylesheets name (static/pdf/*.css: DejaVu Sans, DejaVu Sans Mono).
PDF_SYSTEM_PACKAGES = (
    "libpango-1.0-0",
    "libpangoft2-1.0-0",
    "libharfbuzz0b",
    "libharfbuzz-subset0",
    "libfontconfig1",
    "fonts-dejavu-core",
)
PDF_LIBRARIES_MISSING_ID = "kierratys.W001"
PDF_LIBRARIES_MISSING = (
    "PDF-tiedostoja (tarrat, luovutuskuitit, tyhjennystodistukset, raportit) ei voi tehdä: "
    "WeasyPrintin tarvitsemia järjestelmäkirjastoja puuttuu. / "
    "PDFs (labels, receipts, erasure certificates, reports) cannot be made: "
    "system libraries that WeasyPrint needs are missing. ({error})"
)
PDF_LIBRARIES_HINT = "Asenna / install: sudo apt-get install {packages}"


def pdf_libraries_check(app_configs=None, **kwargs):
    """A warning naming the Debian packages to install when WeasyPrint cannot load."""
    try:
        # Imported by name, at check time: importing it at the top of this module would
        # fail before the check could say what is missing.
        importlib.import_module("weasyprint")
    except OSError as error:
        return [
            checks.Warning(
                PDF_LIBRARIES_MISSING.format(error=error),
                hint=PDF_LIBRARIES_HINT.format(packages=" ".join(PDF_SYSTEM_PACKAGES)),
                id=PDF_LIBRARIES_MISSING_ID,
            )
        ]
    return []
