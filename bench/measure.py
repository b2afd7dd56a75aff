"""Server-side timings and query counts of the pages and documents, beside floors.

Every page is requested through Django's test Client, so each request takes the
full middleware path (sessions, CSRF, CSP, history, axes) as a browser's would.
A page whose URL or code does not exist yet is reported as "missing", a page that
fails as "error"; neither stops the run.
"""

import math
import statistics
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

from barcode import Code128
from barcode.writer import SVGWriter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.template import engines
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from weasyprint import HTML

from bench import importing, seeding
from bench.importing import IMPORT_ROWS, IMPORT_SECONDS
from devices import documents
from devices.models import Donor
from kierratys import pdf as kierratys_pdf
from kierratys.figures import figures_restamp
from kierratys.pdf import FETCHER, PDF_BASE_URL

TRIVIAL = "trivial view (base.html)"
PDF_FLOOR = "one-page text PDF (WeasyPrint, tagged)"
PDF_FLOOR_UNTAGGED = "one-page text PDF, untagged"
PAGE_LIMIT = 3.0  # a page's median within 3x the trivial view (issue 18)
GROWTH_LIMIT = 1.3  # and at most 1.3x its median at a tenth of the data
LABEL_LIMIT = 1.5  # a 24-label sheet within 1.5x the one-page PDF
CERTIFICATE_SECONDS = 0.5  # 200 devices
LARGE_CERTIFICATE_SECONDS = 5.0  # 2,000 devices with their media
RECEIPT_SECONDS = 0.5
# A document is rendered at least --document-repeat times, a quick one up to this often
# within about DOCUMENT_SECONDS (Harness._sample).
DOCUMENT_SECONDS, DOCUMENT_SAMPLES = 1.0, 41
LABELS = 24

# The product's label sheet (templates/devices/labels_sheet.html) with the barcode
# inside each label instead of one drawing per sheet.
RECT_SHEET = """{% load static %}<!DOCTYPE html><html lang="fi"><head><meta charset="utf-8">
<link rel="stylesheet" href="{% static 'pdf/labels.css' %}">
<style>.own { margin-top: -12.6mm } .own svg { display: block; margin: 0 auto .6mm }</style>
</head><body>
{% for labels in pages %}<div class="sheet">
{% for label in labels %}
<div class="l c{{ label.column }} r{{ label.row }} own">{{ label.barcode }}{{ label.code }}
{{ label.what }}</div>
{% endfor %}</div>
{% endfor %}</body></html>"""
PLAIN_PAGE = """<!DOCTYPE html><html lang="fi"><head><meta charset="utf-8">
<style>@page { size: A4; margin: 20mm } body { font-family: sans-serif; font-size: 11pt }</style>
</head><body><h1>{{ title }}</h1>
{% for line in lines %}<p>{{ line }}</p>{% endfor %}</body></html>"""


@dataclass
class Figure:
    name: str
    kind: str  # "floor", "page" or "document"
    status: str = "ok"  # ok, missing, error
    median_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    samples: int = 0
    floor: str | None = None
    ratio: float | None = None
    target: str = ""
    passed: bool | None = None
    note: str = ""
    key: str = ""
    compare_queries: dict = field(default_factory=dict)
    # The floor's median over the samples taken alongside this figure's (Harness._sample).
    floor_ms: float | None = None


def percentile(values, fraction):
    """Nearest-rank percentile: the smallest sample at or above `fraction` of them."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


class Missing(Exception):
    """The page or document to measure does not exist (yet) in this code."""


@dataclass
class Harness:
    warmup: int = 3
    repeat: int = 20
    document_repeat: int = 5
    figures: list = field(default_factory=list)
    # Set by run(): the floors, timed again beside each figure judged against them.
    _floor_actions: dict = field(default_factory=dict)

    def run(self, fixtures):
        """Measure the floors, then every target; returns the figures."""
        user = get_user_model().objects.get(username=seeding.COORDINATOR_USERNAME)
        client = Client()
        with override_settings(
            ROOT_URLCONF="bench.urls",
            ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        ):
            client.force_login(user)
            self._floor_actions = {
                "page": lambda: client.get("/__bench__/trivial/"),
                "document": plain_page_pdf,
                "untagged": lambda: plain_page_pdf(variant=None),
            }
            trivial = self.page(client, "trivial", TRIVIAL, lambda: "/__bench__/trivial/")
            trivial.kind = "floor"
            # The floor is rendered as every product PDF is (kierratys.pdf.PDF_VARIANT,
            # tagged); the untagged pair shows what the tagging costs.
            pdf_floor = self.document("pdf_floor", PDF_FLOOR, plain_page_pdf)
            pdf_floor.kind = "floor"
            untagged = self.document(
                "pdf_floor_untagged", PDF_FLOOR_UNTAGGED, lambda: plain_page_pdf(variant=None)
            )
            untagged.kind = "floor"
            self._ratio(untagged, pdf_floor, None)
            for key, name, kind, spec in targets(fixtures):
                if kind == "page":
                    figure = self.page(client, key, name, *spec)
                else:
                    figure = self.document(key, name, spec)
                self.judge(figure, trivial, untagged if key.endswith("_untagged") else pdf_floor)
        self.judge_rects()
        return self.figures

    def page(self, client, key, name, url_of, expect=200, before=None):
        figure = Figure(name=name, kind="page", key=key)
        self.figures.append(figure)
        try:
            url = url_of()
        except (NoReverseMatch, Missing, ImportError, AttributeError) as error:
            figure.status, figure.note = "missing", str(error)[:120]
            return figure

        def request():
            response = client.get(url)
            if response.status_code != expect:
                raise RuntimeError(f"GET {url} answered {response.status_code}, not {expect}")
            return response

        floor = None if key == "trivial" else self._floor_actions.get("page")
        return self._sample(figure, request, self.repeat, note=url, before=before, floor=floor)

    def document(self, key, name, render):
        figure = Figure(name=name, kind="document", key=key)
        self.figures.append(figure)
        floor = None
        if not key.startswith("pdf_floor") and key not in ("import", "import_http"):
            floor = self._floor_actions.get("untagged" if key.endswith("_untagged") else "document")
        return self._sample(figure, render, self.document_repeat, floor=floor)

    def _sample(self, figure, action, repeat, note="", before=None, floor=None):
        """before: called ahead of each timed action, untimed (what the action follows).

        floor: the figure's floor, timed just before each sample of it. The machine's speed
        drifts by a third within a run (other tenants, clock), so a ratio is taken between
        samples taken side by side. A document quicker than a second is rendered more often
        (DOCUMENT_SECONDS), since five renders of a 20 ms page miss its median by a fifth.
        """
        times, queries, floor_times = [], [], []
        try:
            for _ in range(max(1, self.warmup) if figure.kind == "page" else 1):
                start = time.perf_counter()
                action()
            once = time.perf_counter() - start
            if figure.kind == "document" and repeat > 1:
                repeat = max(repeat, min(DOCUMENT_SAMPLES, int(DOCUMENT_SECONDS / once)))
            for _ in range(repeat):
                if floor:
                    start = time.perf_counter()
                    floor()
                    floor_times.append(time.perf_counter() - start)
                if before:
                    before()
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    action()
                    times.append(time.perf_counter() - start)
                queries.append(len(captured.captured_queries))
        except (Missing, ImportError, AttributeError, NoReverseMatch) as error:
            figure.status, figure.note = "missing", str(error)[:120]
            return figure
        except Exception as error:  # a broken page is a finding, not a crashed benchmark
            figure.status, figure.note = "error", f"{type(error).__name__}: {error}"[:200]
            return figure
        figure.median_ms = statistics.median(times) * 1000
        figure.p95_ms = percentile(times, 0.95) * 1000
        figure.queries = max(queries)
        figure.samples = len(times)
        figure.note = note
        if floor_times:
            figure.floor_ms = statistics.median(floor_times) * 1000
        return figure

    def judge(self, figure, trivial, pdf_floor):
        if figure.status != "ok":
            figure.passed = False
            return
        if figure.key == "dashboard_changed":
            # The full computation the kept figures save (reports.dashboard_cache): its
            # ratio is shown, its targets are the pages' flatness and constant queries.
            self._ratio(figure, trivial, None)
            figure.passed = True
        elif figure.kind == "page":
            self._ratio(figure, trivial, PAGE_LIMIT)
        elif figure.key == "labels":
            self._ratio(figure, pdf_floor, LABEL_LIMIT)
        elif figure.key in ("labels_rects", "labels_untagged"):
            self._ratio(figure, pdf_floor, None)
        elif figure.key in ("certificate", "certificate_large"):
            self._ratio(figure, pdf_floor, None)
            limit = {"certificate": CERTIFICATE_SECONDS}.get(figure.key, LARGE_CERTIFICATE_SECONDS)
            figure.target = f"<= {limit:g} s"
            figure.passed = figure.median_ms <= limit * 1000
        elif figure.key == "receipt":
            self._ratio(figure, pdf_floor, None)
            figure.target = f"< {RECEIPT_SECONDS:g} s"
            figure.passed = figure.median_ms < RECEIPT_SECONDS * 1000
        elif figure.key in ("import", "import_http"):
            figure.target = f"<= {IMPORT_SECONDS:g} s"
            figure.passed = figure.median_ms <= IMPORT_SECONDS * 1000

    @staticmethod
    def _ratio(figure, floor, limit):
        figure.floor = floor.name
        floor_ms = figure.floor_ms or floor.median_ms
        if floor_ms:
            figure.ratio = figure.median_ms / floor_ms
        if limit is not None:
            figure.target = f"<= {limit:g}x floor"
            figure.passed = figure.ratio is not None and figure.ratio <= limit

    def judge_rects(self):
        """The rect-per-module sheet against the product's: why the sheet is one image."""
        by_key = {f.key: f for f in self.figures}
        sheet, rects = by_key.get("labels"), by_key.get("labels_rects")
        if sheet and rects and sheet.median_ms and rects.median_ms:
            rects.note = f"{rects.median_ms / sheet.median_ms:.1f}x the product's sheet"

    def judge_queries(self, compare, label):
        """Query counts must not grow with the rows: equal to those of `compare` (key -> n)."""
        for figure in self.figures:
            if figure.kind == "floor" or figure.queries is None:
                continue
            other = compare.get(figure.key)
            if other is None:
                continue
            figure.compare_queries[label] = other
            if other != figure.queries:
                figure.passed = False
                figure.note = (figure.note + f" | queries {figure.queries} vs {other} {label}")[
                    -200:
                ]
        # Within the run: page 1 and the deep page of the list, short and long timeline.
        by_key = {f.key: f for f in self.figures}
        for one, other in (("device_list", "device_list_deep"), ("device_short", "device_long")):
            a, b = by_key.get(one), by_key.get(other)
            if a and b and a.queries is not None and b.queries is not None:
                b.compare_queries[a.name] = a.queries
                if a.queries != b.queries:
                    b.passed = False


PRODUCT_VARIANT = object()  # render_pdf's own variant (kierratys.pdf.PDF_VARIANT)


def _pdf(template_string, context, variant=PRODUCT_VARIANT):
    """A PDF of a template string through the same WeasyPrint settings as render_pdf."""
    html = engines["django"].from_string(template_string).render(context)
    if variant is PRODUCT_VARIANT:
        # Exactly as render_pdf: with its parsed-stylesheet and font caches, so the floor
        # gets every saving the product's documents get.
        return kierratys_pdf.html_to_pdf(html)
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=FETCHER)
    return document.write_pdf(pdf_variant=variant)


def plain_page_pdf(variant=PRODUCT_VARIANT):
    """The PDF floor: one A4 page of plain text, rendered as render_pdf renders (tagged);
    `variant=None` untagged."""
    lines = ["Tämä on yhden sivun tekstiasiakirja."] * 12
    return _pdf(PLAIN_PAGE, {"title": "Digikierrättämö", "lines": lines}, variant)


@contextmanager
def untagged_pdfs():
    """render_pdf without PDF/UA tagging, to measure what the tagging costs."""
    saved = kierratys_pdf.PDF_VARIANT
    kierratys_pdf.PDF_VARIANT = None
    try:
        yield
    finally:
        kierratys_pdf.PDF_VARIANT = saved


def code128_svg_rects(code):
    """python-barcode's own SVG of `code`: one <rect> per module."""
    writer = SVGWriter()
    svg = Code128(code, writer=writer).render(
        writer_options={"module_width": 0.33, "module_height": 12.0, "write_text": False}
    )
    text = svg.decode("utf-8")
    return mark_safe(text[text.index("<svg") :])  # drawn by python-barcode from the code


def rect_sheet_pdf(devices):
    """The label sheet of devices.documents, but each label with python-barcode's own SVG.

    The comparison that shows why the product draws a sheet's barcodes as one image of
    pixel rows: the same labels, text and layout (labels.css), 24 to a page.
    """
    labels = []
    for index, device in enumerate(devices):
        row, column = divmod(index % documents.LABELS_PER_SHEET, documents.COLUMNS)
        what = f"{device.get_category_display()}, {device.manufacturer} {device.model}".strip()
        if len(what) > documents.WHAT_MAX_CHARS:
            what = what[: documents.WHAT_MAX_CHARS - 1] + "…"
        code = device.inventory_code
        labels.append(
            {"code": code, "barcode": code128_svg_rects(code), "what": what, "row": row,
             "column": column}
        )  # fmt: skip
    size = documents.LABELS_PER_SHEET
    return _pdf(RECT_SHEET, {"pages": [labels[i : i + size] for i in range(0, len(labels), size)]})


@dataclass
class Fixtures:
    """The rows the targets open, chosen from the seeded data."""

    list_pages: int
    short_device: str | None
    long_device: str | None
    certificate_batch: str | None
    certificate_devices: int
    large_batch: str | None
    large_devices: int
    receipt_handover: int | None
    label_devices: list
    import_donor: int | None


def find_fixtures():
    from clients.models import Handover
    from devices.models import Device, DonationBatch

    devices = Device.objects.count()
    history = Device.history.model.objects.values("id").annotate(n=Count("history_id"))
    longest = history.order_by("-n", "id").first()
    shortest = history.order_by("n", "id").first()
    codes = dict(
        Device.objects.filter(pk__in=[row["id"] for row in (longest, shortest) if row]).values_list(
            "pk", "inventory_code"
        )
    )
    batches = DonationBatch.objects.annotate(n=Count("devices")).filter(n__gte=1)
    # The seed's first batch holds the certificate's 200 devices, its largest 2,000.
    batch = batches.order_by("pk").values_list("reference", "n").first() or (None, 0)
    large = batches.order_by("-n", "pk").values_list("reference", "n").first() or (None, 0)
    handover = (
        Handover.objects.filter(status=Handover.Status.HANDED_OVER, kind=Handover.Kind.GIFT)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    return Fixtures(
        list_pages=max(1, math.ceil(devices / 50)),
        short_device=codes.get(shortest["id"]) if shortest else None,
        long_device=codes.get(longest["id"]) if longest else None,
        certificate_batch=batch[0],
        certificate_devices=batch[1],
        large_batch=large[0],
        large_devices=large[1],
        receipt_handover=handover,
        label_devices=list(Device.objects.order_by("pk")[:LABELS]),
        import_donor=Donor.objects.order_by("pk").values_list("pk", flat=True).first(),
    )


def _need(value, what):
    if value is None:
        raise Missing(f"no {what} in the seeded data")
    return value


def targets(fx):
    """(key, name, kind, spec): pages are (url_of, expected status), documents a callable."""
    deep = min(1000, fx.list_pages)

    def url(name, query="", **kwargs):
        return lambda: reverse(name, kwargs=kwargs or None) + query

    def device_url(code_of):
        return lambda: reverse("devices:device_detail", kwargs={"code": code_of()})

    return [
        ("device_list", "device list, filtered, page 1", "page",
         (url("devices:device_list", "?status=ready&category=laptop"),)),
        ("device_list_deep", f"device list, page {deep}", "page",
         (url("devices:device_list", f"?page={deep}"),)),
        ("device_long", "device page, longest timeline", "page",
         (device_url(lambda: _need(fx.long_device, "device")),)),
        ("device_short", "device page, shortest timeline", "page",
         (device_url(lambda: _need(fx.short_device, "device")),)),
        ("scan", "scan lookup (redirect)", "page",
         (lambda: reverse("devices:scan") + "?code=" + _need(fx.long_device, "device"), 302)),
        ("client_list", "client list", "page", (url("clients:client_list"),)),
        ("waiting_list", "waiting list", "page", (url("clients:waiting_list"),)),
        ("dashboard", "dashboard", "page", (url("reports:dashboard"),)),
        ("dashboard_changed", "dashboard, the figures just changed", "page",
         (url("reports:dashboard"), 200, figures_restamp)),
        ("labels", f"{LABELS}-label sheet (one image of bars)", "document", _labels(fx, False)),
        ("labels_untagged", f"{LABELS}-label sheet, untagged", "document",
         _untagged(_labels(fx, False))),
        ("labels_rects", f"{LABELS}-label sheet (rect per module)", "document", _labels(fx, True)),
        ("receipt", "handover receipt", "document", _receipt(fx)),
        ("certificate", f"erasure certificate, {fx.certificate_devices} devices", "document",
         _certificate(lambda: fx.certificate_batch)),
        ("certificate_large", f"erasure certificate, {fx.large_devices:,} devices", "document",
         _certificate(lambda: fx.large_batch)),
        ("import", f"import of {IMPORT_ROWS:,} rows (read, plan, confirm)", "document",
         importing.batch_import(fx)),
        ("import_http", f"import of {IMPORT_ROWS:,} rows over HTTP", "document",
         importing.batch_import(fx, over_http=True)),
    ]  # fmt: skip


def _labels(fx, rects):
    def render():
        # The production drawing (one image of bars per sheet) against
        # python-barcode's own SVG writer (one <rect> per module, per label).
        if rects:
            return rect_sheet_pdf(fx.label_devices)
        return documents.label_sheet_pdf(fx.label_devices)

    return render


def _receipt(fx):
    def render():
        from clients.documents import handover_receipt_pdf
        from clients.models import Handover

        handover = Handover.objects.select_related(
            "device", "client", "handed_over_by", "reserved_by"
        ).get(pk=_need(fx.receipt_handover, "handed-over gift"))
        return handover_receipt_pdf(handover)

    return render


def _untagged(render):
    def untagged():
        with untagged_pdfs():
            return render()

    return untagged


def _certificate(reference_of):
    def render():
        from devices.documents import batch_certificate_pdf
        from devices.models import DonationBatch

        batch = DonationBatch.objects.get(reference=_need(reference_of(), "batch"))
        # Issued once; later rounds reuse it while the figures hold.
        return batch_certificate_pdf(batch, actor=batch.registered_by)

    return render


def as_dicts(figures):
    return [asdict(f) for f in figures]
