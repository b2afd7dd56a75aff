"""The pdf system check: a machine without WeasyPrint's libraries is told what to install."""

import importlib

from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from kierratys import checks as system_checks

REAL_IMPORT_MODULE = importlib.import_module
MISSING_PANGO = OSError(
    "cannot load library 'libpango-1.0-0': libpango-1.0-0: "
    "cannot open shared object file: No such file or directory"
)


def without_pango(monkeypatch):
    """Make importing WeasyPrint fail as it does on a machine without Pango."""

    def import_module(name, package=None):
        if name == "weasyprint":
            raise MISSING_PANGO
        return REAL_IMPORT_MODULE(name, package)

    monkeypatch.setattr(system_checks.importlib, "import_module", import_module)


def test_no_warning_when_weasyprint_loads():
    assert system_checks.pdf_libraries_check() == []


def test_missing_pango_is_a_warning_naming_the_debian_packages(monkeypatch):
    without_pango(monkeypatch)

    (warning,) = system_checks.pdf_libraries_check()

    assert isinstance(warning, checks.Warning)
    assert warning.id == system_checks.PDF_LIBRARIES_MISSING_ID
    assert "PDF-tiedostoja" in warning.msg and "PDFs" in warning.msg
    assert "libpango-1.0-0: cannot open shared object file" in warning.msg
    assert warning.hint == (
        "Asenna / install: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
        "libharfbuzz0b libharfbuzz-subset0 libfontconfig1 fonts-dejavu-core"
    )


def test_the_check_is_registered_under_its_tag_and_stops_make_run(monkeypatch):
    # What `make run` runs first: the check by its tag, warnings failing.
    without_pango(monkeypatch)

    try:
        call_command("check", tags=[system_checks.PDF_TAG], fail_level="WARNING")
    except SystemCheckError as error:
        report = str(error)
    else:
        raise AssertionError("the pdf check let a machine without Pango through")

    assert system_checks.PDF_LIBRARIES_MISSING_ID in report
    assert "sudo apt-get install libpango-1.0-0" in report
