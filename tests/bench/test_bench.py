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

from bench import measure, seeding
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
        "trivial", "pdf_floor", "device_list", "device_long", "dashboard", "labels",
        "labels_rects", "import",
    ):  # fmt: skip
        assert figures[key]["status"] == "ok", figures[key]
        assert figures[key]["median_ms"] > 0
    assert figures["device_list"]["queries"] > 0
    assert figures["device_list"]["ratio"] > 0
    assert figures["labels"]["floor"] == figures["pdf_floor"]["name"]
    assert figures["labels_rects"]["note"].endswith("x the single-path sheet")
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
