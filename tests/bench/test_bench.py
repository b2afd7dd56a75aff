"""The benchmark at a tiny scale: the seed is consistent with the lifecycle, the harness runs.

The harness runs through bench.command.Command, the command `python -m bench` (`make
bench`) runs.
"""

import io
import json

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from pypdf import PdfReader

from bench import importing, measure, scales, seeding
from bench.command import Command
from clients.catalogue import DEFAULT_MILESTONES
from clients.eligibility_check import eligibility_drift
from clients.models import Client, ClientMilestone, Handover, Milestone
from devices.lifecycle import has_current_passed_erasure
from devices.models import Device, Erasure, StorageMedium
from devices.services.media import intake_medium
from tests.factories import make_batch, make_device

SCALE = 0.002  # 200 devices, 40 clients, 80 handovers
COMMAND_SCALE = 0.0005  # 50 devices: the PDFs stay quick

OPEN_HANDOVER_OF = {
    Device.Status.RESERVED: (Handover.Status.RESERVED, ""),
    Device.Status.HANDED_OVER: (Handover.Status.HANDED_OVER, Handover.Kind.GIFT),
    Device.Status.ON_LOAN: (Handover.Status.HANDED_OVER, Handover.Kind.LOAN),
}


@pytest.mark.django_db
def test_seed_has_the_counts_the_history_and_lifecycle_consistent_statuses():
    result = seeding.seed(SCALE)

    assert (Device.objects.count(), Client.objects.count(), Handover.objects.count()) == (
        200,
        40,
        80,
    )
    assert seeding.is_seeded(result.counts)
    assert Erasure.objects.count() >= 100
    assert ClientMilestone.objects.count() >= 40
    # Every device holds the medium its intake describes (a few laptops a second drive),
    # and every erasure names a medium of its own device.
    media = {}
    for medium in StorageMedium.objects.all():
        media.setdefault(medium.device_id, []).append(medium)
    for device in Device.objects.all():
        expected = intake_medium(device)
        assert media[device.pk][0].kind == expected.kind, device
        assert media[device.pk][0].built_in == expected.built_in, device
    two = [device_id for device_id, found in media.items() if len(found) == 2]
    assert two and set(Device.objects.filter(pk__in=two).values_list("category", flat=True)) == {
        Device.Category.LAPTOP
    }
    assert not Erasure.objects.exclude(medium__device=F("device")).exists()
    # Every device, client and handover has history rows, with the acting user.
    for model in (Device, StorageMedium, Client, Handover, Erasure):
        history = model.history.model.objects
        assert history.values("id").distinct().count() == model.objects.count()
        assert not history.filter(history_user__isnull=True).exists()
    assert Device.history.count() > 2 * Device.objects.count()

    statuses = dict(Device.objects.values_list("status").annotate(n=Count("pk")))
    assert set(statuses) == set(Device.Status.values)
    open_handovers = {
        h.device_id: (h.status, h.kind)
        for h in Handover.objects.filter(status__in=Handover.OPEN_STATUSES)
    }
    for device in Device.objects.all():
        assert open_handovers.get(device.pk) == OPEN_HANDOVER_OF.get(device.status), device
        if device.status in (Device.Status.ERASED, Device.Status.READY, Device.Status.RESERVED):
            assert has_current_passed_erasure(device), device  # every medium, two included
        latest = device.history.order_by("-history_date", "-history_id").first()
        assert latest.status == device.status
    # As handover_complete requires: every handover that took place has its readiness checklist.
    took_place = Handover.objects.filter(handed_over_at__isnull=False)
    assert took_place.exists() and not took_place.filter(readiness__isnull=True).exists()
    served = Client.objects.filter(status=Client.Status.SERVED)
    assert served.exists()
    assert not served.exclude(handovers__kind=Handover.Kind.GIFT).exists()
    # What the services keep stored, rebuilt after the bulk inserts: eligible_since.
    assert eligibility_drift() == []
    assert Client.objects.filter(eligible_since__isnull=False).exists()
    # The project's one milestone catalogue, the one the demo data starts from.
    assert list(Milestone.objects.values_list("code", "required")) == [
        (code, required) for code, required, _names, _descriptions in DEFAULT_MILESTONES
    ]


@pytest.mark.django_db
def test_bench_command_measures_against_the_floors_and_writes_json(tmp_path):
    out = tmp_path / "bench.json"

    call_command(
        Command(),
        scale=COMMAND_SCALE,
        warmup=0,
        repeat=1,
        document_repeat=1,
        no_load=True,
        no_compare=True,
        json_path=str(out),
    )

    report = json.loads(out.read_text())
    figures = {f["key"]: f for f in report["figures"]}
    assert report["seed"]["counts"] == {"devices": 50, "clients": 10, "handovers": 20}
    for key in (
        "trivial", "pdf_floor", "pdf_floor_untagged", "device_list", "device_long", "dashboard",
        "labels", "labels_untagged", "labels_rects", "certificate", "certificate_large",
        "import", "import_http",
    ):  # fmt: skip
        assert figures[key]["status"] == "ok", figures[key]
        assert figures[key]["median_ms"] > 0
    assert figures["device_list"]["queries"] > 0
    assert figures["device_list"]["ratio"] > 0
    assert figures["labels"]["floor"] == figures["pdf_floor"]["name"]
    # Each ratio is over its floor timed beside it, not over the floor's own figure.
    for key in ("device_list", "labels", "certificate"):
        assert figures[key]["ratio"] == figures[key]["median_ms"] / figures[key]["floor_ms"]
    assert figures["import"]["floor_ms"] is None
    assert figures["trivial"]["floor_ms"] is None
    # The untagged sheet is compared with the untagged floor: what the tagging costs.
    assert figures["labels_untagged"]["floor"] == figures["pdf_floor_untagged"]["name"]
    assert figures["certificate"]["target"] == "<= 0.5 s"
    assert figures["certificate_large"]["target"] == "<= 5 s"
    assert figures["import_http"]["target"] == "<= 5 s"
    assert figures["labels_rects"]["note"].endswith("x the product's sheet")
    assert figures["import"]["target"] == "<= 5 s"
    assert figures["import"]["passed"] is not None
    assert [f for f in report["figures"] if f["status"] != "ok"] == []


def test_the_rect_per_module_sheet_holds_the_same_labels_with_an_svg_each(donor, technician):
    batch = make_batch(donor, technician, declared_count=25)
    devices = [make_device(batch, technician) for _ in range(measure.LABELS + 1)]

    pdf = measure.rect_sheet_pdf(devices)

    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 2  # 24 labels a page, as the product's sheet
    text = "\n".join(page.extract_text() for page in pages)
    assert all(device.inventory_code in text for device in devices)
    svg = measure.code128_svg_rects(devices[0].inventory_code)
    assert svg.startswith("<svg") and svg.count("<rect") > 20


def _report(medians, queries=None):
    figures = []
    for key, median in medians.items():
        kind = "floor" if key == "trivial" else "page" if key.endswith("list") else "document"
        figures.append(
            {"key": key, "name": key, "kind": kind, "status": "ok", "note": "",
             "median_ms": median, "p95_ms": median, "queries": (queries or {}).get(key, 5),
             "ratio": median / 10, "floor": "trivial", "target": "<= 3x floor",
             "passed": kind != "floor" or None}
        )  # fmt: skip
    return {"figures": figures, "seed": {"reused": True}, "meta": {"database": "sqlite x"}}


def test_growth_is_the_largest_scales_median_over_the_smallest_and_pages_must_stay_flat():
    small = _report({"trivial": 10, "device_list": 20, "client_list": 20, "labels": 50})
    large = _report(
        {"trivial": 10, "device_list": 25, "client_list": 40, "labels": 100},
        queries={"device_list": 6},
    )

    rows, measured = scales.growth_rows({0.1: small, 1.0: large})

    by_key = {row["key"]: row for row in rows}
    assert measured == [0.1, 1.0]
    assert by_key["device_list"]["growth"] == 1.25
    # Flat, but one more query at the larger scale: a page whose queries grow misses.
    assert by_key["device_list"]["passed"] is False
    assert by_key["client_list"]["growth"] == 2.0 and by_key["client_list"]["passed"] is False
    # A document is as large at both scales; its growth is shown, not judged.
    assert by_key["labels"]["growth"] == 2.0 and by_key["labels"]["passed"] is True
    out = io.StringIO()
    scales.print_table(_Out(out), {0.1: small, 1.0: large}, lambda *args: None, str)
    assert "ms@0.1" in out.getvalue() and "1.25x" in out.getvalue()


def test_growth_is_judged_on_the_ratio_to_the_floor_when_the_machine_slows_between_scales():
    small = _report({"trivial": 10, "device_list": 20, "client_list": 20})
    # The same pages on a machine a fifth slower at the larger scale: the floor slows too.
    large = _report({"trivial": 12, "device_list": 24, "client_list": 36})
    for figure in large["figures"]:
        figure["ratio"] = figure["median_ms"] / 12

    by_key = {row["key"]: row for row in scales.growth_rows({0.1: small, 1.0: large})[0]}

    assert by_key["device_list"]["raw_growth"] == pytest.approx(1.2)
    assert by_key["device_list"]["growth"] == pytest.approx(1.0)
    assert by_key["device_list"]["passed"] is True
    # A page that grew beyond the machine's slowing still misses.
    assert by_key["client_list"]["growth"] == pytest.approx(1.5)
    assert by_key["client_list"]["passed"] is False


def test_smaller_scales_get_a_sibling_database_of_their_own():
    base = "sqlite:////data/bench.sqlite3"
    assert scales.database_url(1.0, 1.0, base) == base
    assert (
        scales.sibling_url("sqlite", "/data/bench.sqlite3", 0.1, base)
        == "sqlite:////data/bench-0.1.sqlite3"
    )
    pg = "postgres://postgres@127.0.0.1:5432/kierratys_bench"
    assert (
        scales.sibling_url("postgresql", "kierratys_bench", 0.1, pg)
        == "postgres://postgres@127.0.0.1:5432/kierratys_bench_0_1"
    )
    assert scales.parse("1.0,0.1") == [0.1, 1.0]


def test_the_http_import_posts_the_choices_the_preview_shows():
    html = """<form id="other"><input name="x" value="1"></form>
    <form id="import-choices"><input type="hidden" name="csrfmiddlewaretoken" value="t">
    <select name="column_serial_number"><option value="">–</option>
      <option value="3" selected>sarjanumero</option></select>
    <select name="default_category"><option value="">–</option><option value="laptop">
      kannettava</option></select>
    <input type="checkbox" name="accept_suggestions" checked>
    <input type="checkbox" name="other_box">
    <button type="submit" name="refresh" value="1">Päivitä</button></form>"""

    assert importing.form_data(html) == {
        "csrfmiddlewaretoken": "t",
        "column_serial_number": "3",
        "default_category": "",
        "accept_suggestions": "on",
    }


class _Out:
    def __init__(self, stream):
        self.stream = stream

    def write(self, text):
        self.stream.write(text + "\n")
