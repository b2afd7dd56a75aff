"""Every printed document in production mode, checked as the person printing it would.

In production {% static %} names the collected copy of a stylesheet under its hashed
name (whitenoise's manifest). A PDF whose stylesheet does not load still renders, only
wrong: the thermal label came out A4 and the label sheet spilled onto a second page
(issue 12, D4). So each document is rendered here through the product's own function
after a real production-mode collectstatic, and its page size, page count and barcodes
are read back; the same document rendered in development mode must come out the same.

The settings read DJANGO_ENV once at import, so a subprocess in production mode
collects the static files into a temporary folder and reports its static files
settings; the tests then render in this process with those settings.
"""

import ast
import datetime
import json
import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from functools import partial

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils import timezone

from clients import services as client_services
from clients.documents import handover_receipt_pdf
from clients.letters import loan_reminder_letter_pdf, return_receipt_pdf
from clients.models import Handover
from clients.subject_access_pdf import client_subject_access_pdf
from devices import documents as device_documents
from kierratys import pdf as pdf_module
from reports.documents import donor_report_pdf, funder_report_pdf
from reports.selectors import ReportFilter, donor_year_report
from tests.factories import (
    erase,
    make_batch,
    make_device,
    make_eligible_client,
    make_ready_device,
    prepare_for_handover,
)
from tests.support import one_line, pdf_barcodes, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db

# Page sizes in PDF points (1/72 in).
A4 = (595.3, 841.9)
A4_LANDSCAPE = (841.9, 595.3)
THERMAL = (62 * 72 / 25.4, 37 * 72 / 25.4)  # 62 x 37 mm: 175.7 x 104.9
POINT_TOLERANCE = 1

APPS = ("kierratys", "devices", "clients", "reports")
HASHED_STYLESHEET = r"/static/pdf/labels\.[0-9a-f]{12}\.css"

# Runs in a production-mode subprocess: collects the static files as a deployment does,
# then reports the static files settings that production mode ended up with.
COLLECT = textwrap.dedent(
    """
    import json
    import django
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    print(json.dumps({
        "STORAGES": settings.STORAGES,
        "STATIC_ROOT": str(settings.STATIC_ROOT),
        "DEBUG": settings.DEBUG,
    }))
    """
)


@pytest.fixture(scope="module")
def production_static(tmp_path_factory):
    """Static files collected in production mode, and that mode's static files settings."""
    root = tmp_path_factory.mktemp("production")
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "production-test-" + "k3y-" * 12,
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{root / 'production.sqlite3'}",
        "STATIC_ROOT": str(root / "static"),
        "DJANGO_SETTINGS_MODULE": "kierratys.settings",
        "PYTHONPATH": str(django_settings.BASE_DIR),
    }
    done = subprocess.run(
        [sys.executable, "-c", COLLECT],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def to_production(settings, production_static):
    """Switches this process to production mode's static files; pytest-django restores."""

    def switch():
        settings.STORAGES = production_static["STORAGES"]
        settings.STATIC_ROOT = production_static["STATIC_ROOT"]
        settings.DEBUG = production_static["DEBUG"]
        # The templates now link the hashed copies, which no static files finder knows.
        assert re.fullmatch(HASHED_STYLESHEET, static("pdf/labels.css"))

    return switch


@pytest.fixture
def production(to_production):
    to_production()


@dataclass
class People:
    donor: object
    technician: object
    coach: object


@pytest.fixture
def people(donor, technician, coach):
    return People(donor, technician, coach)


MODELS = ["ThinkPad T480", "EliteBook 840 G5", "Latitude 5490", "ThinkPad X1 Carbon"]


def laptops(people, count):
    batch = make_batch(people.donor, people.technician, declared_count=count)
    return [
        make_device(batch, people.technician, model=MODELS[n % len(MODELS)]) for n in range(count)
    ]


def handed_over(people):
    batch = make_batch(people.donor, people.technician, declared_count=1)
    device = make_ready_device(batch, people.technician, serial_number="PF7RECEIPT")
    client = make_eligible_client(people.coach, name="Matti Meikäläinen")
    reserved = client_services.handover_reserve(client=client, device=device, actor=people.coach)
    prepare_for_handover(reserved, people.coach)
    return client_services.handover_complete(
        handover=reserved, actor=people.coach, kind=Handover.Kind.GIFT
    )


def erased_batch(people):
    batch = make_batch(people.donor, people.technician, declared_count=3)
    for n in range(3):
        erase(
            make_device(batch, people.technician, serial_number=f"SN-ERASED-{n:03d}"),
            people.technician,
        )
    return batch


def donor_report(people):
    laptops(people, 3)
    return donor_year_report(people.donor, timezone.localdate().year)


def lent(people):
    batch = make_batch(people.donor, people.technician, declared_count=1)
    device = make_ready_device(batch, people.technician, serial_number="PF7LOAN")
    client = make_eligible_client(people.coach, name="Liisa Lainaaja")
    reserved = client_services.handover_reserve(client=client, device=device, actor=people.coach)
    prepare_for_handover(reserved, people.coach)
    return client_services.handover_complete(
        handover=reserved,
        actor=people.coach,
        kind=Handover.Kind.LOAN,
        due_date=timezone.localdate() + datetime.timedelta(days=14),
    )


def returned(people):
    loan = lent(people)
    client_services.handover_return(
        handover=loan,
        actor=people.coach,
        returned_on=timezone.localdate(),
        condition=loan.device.condition_grade,
    )
    loan.refresh_from_db()
    return loan


# Each document: the template render_pdf gets, and how to make its renderer from data.
DOCUMENTS = {
    "label sheet of 12": (
        "devices/labels_sheet.html",
        lambda people: partial(device_documents.label_sheet_pdf, laptops(people, 12)),
    ),
    "label sheet of 25": (
        "devices/labels_sheet.html",
        lambda people: partial(device_documents.label_sheet_pdf, laptops(people, 25)),
    ),
    "thermal label": (
        "devices/label_thermal.html",
        lambda people: partial(device_documents.thermal_label_pdf, laptops(people, 1)[0]),
    ),
    "handover receipt": (
        "clients/receipt_pdf.html",
        lambda people: partial(handover_receipt_pdf, handed_over(people)),
    ),
    "erasure certificate": (
        device_documents.CERTIFICATE_TEMPLATE,
        lambda people: partial(
            device_documents.batch_certificate_pdf,
            erased_batch(people),
            actor=people.technician,
        ),
    ),
    "donor yearly report": (
        "reports/donor_report_pdf.html",
        lambda people: partial(donor_report_pdf, donor_report(people)),
    ),
    "loan reminder letter": (
        "clients/loan_reminder_letter_pdf.html",
        lambda people: partial(loan_reminder_letter_pdf, lent(people)),
    ),
    "return receipt": (
        "clients/return_receipt_pdf.html",
        lambda people: partial(return_receipt_pdf, returned(people)),
    ),
    "subject access": (
        "clients/subject_access_pdf.html",
        lambda people: partial(
            client_subject_access_pdf, client=handed_over(people).client, actor=people.coach
        ),
    ),
    "funder report": (
        "reports/funder_report_pdf.html",
        lambda people: (
            handed_over(people),
            partial(funder_report_pdf, ReportFilter(), language="fi"),
        )[1],
    ),
}


def layout(pdf):
    """What a stylesheet decides and a reader sees: pages, their sizes, the fonts used."""
    pages = pdf_pages(pdf)
    sizes = [(round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1)) for p in pages]
    fonts = set()
    for page in pages:
        for font in page["/Resources"].get("/Font", {}).values():
            # A subset's name starts with a six-letter tag: ABCDEF+DejaVuSans.
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return {"pages": len(pages), "sizes": sizes, "fonts": sorted(fonts)}


def assert_size(page, expected):
    size = (float(page.mediabox.width), float(page.mediabox.height))
    assert size == pytest.approx(expected, abs=POINT_TOLERANCE)


@pytest.mark.parametrize("document", list(DOCUMENTS))
def test_production_prints_each_document_as_development_does(
    people, to_production, monkeypatch, document
):
    template, make_renderer = DOCUMENTS[document]
    render = make_renderer(people)
    rendered = []
    original = pdf_module.render_to_string
    monkeypatch.setattr(
        pdf_module,
        "render_to_string",
        lambda name, *args, **kwargs: rendered.append(name) or original(name, *args, **kwargs),
    )
    development = layout(render())
    to_production()
    production = layout(render())

    assert rendered == [template, template]
    assert production == development
    assert development["fonts"], "no text in the document"


def test_every_pdf_template_is_covered_here():
    """A new document (a new template rendered by render_pdf) must be added to DOCUMENTS."""
    covered = {template for template, _ in DOCUMENTS.values()}
    assert rendered_pdf_templates() <= covered


def rendered_pdf_templates():
    """The templates named in the apps' calls of render_pdf: a literal or a module constant."""
    templates = set()
    for app in APPS:
        for path in (django_settings.BASE_DIR / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            constants = {
                target.id: node.value.value
                for node in tree.body
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
                for target in node.targets
                if isinstance(target, ast.Name)
            }
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name != "render_pdf":
                    continue
                first = node.args[0]
                if isinstance(first, ast.Constant):
                    templates.add(first.value)
                else:
                    assert isinstance(first, ast.Name) and first.id in constants, (
                        f"{path}: render_pdf's template is neither a literal nor a constant"
                    )
                    templates.add(constants[first.id])
    assert templates, "no render_pdf calls found"
    return templates


@pytest.mark.parametrize(("count", "pages"), [(12, 1), (25, 2)])
def test_label_sheet_is_a4_with_24_labels_a_page_and_every_barcode_reads(
    people, production, tmp_path, count, pages
):
    devices = laptops(people, count)
    pdf = device_documents.label_sheet_pdf(devices)

    assert len(pdf_pages(pdf)) == pages
    for page in pdf_pages(pdf):
        assert_size(page, A4)
    codes = [device.inventory_code for device in devices]
    assert sorted(pdf_barcodes(pdf, tmp_path)) == sorted(codes)


def test_thermal_label_is_one_62_mm_label_whose_barcode_reads(people, production, tmp_path):
    device = laptops(people, 1)[0]
    pdf = device_documents.thermal_label_pdf(device)

    (page,) = pdf_pages(pdf)
    assert_size(page, THERMAL)
    assert float(page.mediabox.width) != pytest.approx(A4[0], abs=POINT_TOLERANCE)
    assert pdf_barcodes(pdf, tmp_path) == [device.inventory_code]


def test_handover_receipt_is_one_a4_page_with_its_number_and_the_device_barcode(
    people, production, tmp_path
):
    handover = handed_over(people)
    pdf = handover_receipt_pdf(handover)

    (page,) = pdf_pages(pdf)
    assert_size(page, A4)
    text = one_line(pdf_text(pdf))
    assert handover.receipt_number in text
    assert "1 / 1" in text  # the page numbers come from the stylesheet
    assert pdf_barcodes(pdf, tmp_path) == [handover.device.inventory_code]


def test_erasure_certificate_is_landscape_a4_listing_the_batch_and_each_serial(people, production):
    batch = erased_batch(people)
    pdf = device_documents.batch_certificate_pdf(batch, actor=people.technician)

    for page in pdf_pages(pdf):
        assert_size(page, A4_LANDSCAPE)
    text = one_line(pdf_text(pdf))
    assert batch.reference in text
    for device in batch.devices.all():
        assert device.serial_number in text
    assert "1 / 1" in text


def test_donor_yearly_report_is_a4_and_names_the_donor(people, production):
    pdf = donor_report_pdf(donor_report(people))

    for page in pdf_pages(pdf):
        assert_size(page, A4)
    text = one_line(pdf_text(pdf))
    assert people.donor.name in text
    assert f"1 / {len(pdf_pages(pdf))}" in text


def test_these_checks_catch_a_fetcher_that_knows_only_the_source_names(
    people, production, monkeypatch
):
    # The fetcher before the fix looked files up with the finders alone.
    monkeypatch.setattr(pdf_module, "_static_file", finders.find)
    (page,) = pdf_pages(device_documents.thermal_label_pdf(laptops(people, 1)[0]))

    assert float(page.mediabox.width) != pytest.approx(THERMAL[0], abs=POINT_TOLERANCE)
