"""The evidence import service: wipe-tool reports matched to devices and recorded as one
erasure per medium, the original kept with its SHA-256; each file all or nothing."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from devices import services
from devices.models import Device, Erasure, EvidenceFile, StorageMedium
from devices.services import evidence as evidence_service
from tests import factories
from tests.devices.evidence_pdf import disc_report_pdf

SAMPLES = Path(__file__).resolve().parent / "evidence_samples"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "erasure"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def batch(donor, technician):
    return factories.make_batch(donor, technician, declared_count=10)


def upload(*names):
    return [(name, (SAMPLES / name).read_bytes()) for name in names]


def test_passing_log_erases_both_discs_and_keeps_the_original(batch, technician):
    device = factories.make_device(batch, technician, serial_number="pf1evid01")
    [intake_medium] = device.media.all()
    content = (SAMPLES / "nwipe-pass-two-discs.log").read_bytes()
    outcome = services.evidence_import(files=[("nwipe.log", content)], actor=technician)
    [result] = outcome.files
    assert result.imported and result.device == device
    assert [(m.serial, m.passed, m.category_label) for m in result.media] == [
        ("WD-WXC1A14S2591", True, "tyhjennys (Clear)"),
        ("NS8BN06381120BD03", True, "tyhjennys (Clear)"),
    ]
    device.refresh_from_db()
    assert device.status == Device.Status.ERASED
    # Intake's NVMe medium (no serial) is the NVMe disc of the report; the HDD is added.
    intake_medium.refresh_from_db()
    assert intake_medium.serial_number == "NS8BN06381120BD03"
    assert [m.created for m in result.media] == [True, False]
    assert device.media.count() == 2
    record = EvidenceFile.objects.get()
    assert record.sha256 == hashlib.sha256(content).hexdigest()
    assert (record.original_name, record.kind, record.size) == (
        "nwipe.log",
        "nwipe_log",
        len(content),
    )
    with default_storage.open(record.file.name, "rb") as stored:
        assert stored.read() == content
    erasures = Erasure.objects.filter(device=device)
    assert {e.evidence_id for e in erasures} == {record.pk}
    assert {(e.tool_name, e.tool_version, e.verification) for e in erasures} == {
        ("nwipe (ShredOS v2024.02.2_26.0_x86-64_0.38)", "0.38", "full")
    }
    # The history names the technician who imported.
    assert record.history.get().history_user == technician
    assert {e.history.get().history_user for e in erasures} == {technician}
    assert intake_medium.history.first().history_user == technician


@pytest.mark.parametrize(
    ("name", "serial", "reason"),
    [
        ("nwipe-failed.log", "PF1EVID02", "nwipen tila FAILED"),
        ("nwipe-aborted.log", "PF1EVID03", "nwipen tila ABORTED"),
        ("nwipe-verify-errors.log", "PF1EVID04", "varmennusvirheitä"),
        ("nwipe-hpa-hidden.log", "PF1EVID05", "HPA/DCO"),
        ("workbench-erase-failed.json", "PF1EVID08", "StepRandom epäonnistui"),
    ],
)
def test_failed_erasure_keeps_the_device_received_with_the_reason(
    batch, technician, name, serial, reason
):
    device = factories.make_device(batch, technician, serial_number=serial)
    [result] = services.evidence_import(files=upload(name), actor=technician).files
    assert result.imported, result.reason
    [medium] = result.media
    assert not medium.passed and reason in medium.failure_reason
    erasure = Erasure.objects.get(device=device)
    assert erasure.result == Erasure.Result.FAILED
    assert reason in erasure.failure_reason
    device.refresh_from_db()
    assert device.status == Device.Status.RECEIVED


def test_unmatched_file_is_listed_with_the_serials_tried(batch, technician):
    factories.make_device(batch, technician, serial_number="SOMETHING-ELSE")
    [result] = services.evidence_import(files=upload("nwipe-failed.log"), actor=technician).files
    assert not result.imported and result.device is None
    assert "Yhtään laitetta ei löytynyt" in result.reason
    assert "PF1EVID02" in result.reason and "S2ZYJ9FF710125" in result.reason
    assert not EvidenceFile.objects.exists() and not Erasure.objects.exists()


def test_ambiguous_file_matches_nothing(batch, technician):
    first = factories.make_device(batch, technician, serial_number="PF1EVID02")
    second = factories.make_device(batch, technician, serial_number="PF0OTHER")
    services.medium_add(device=second, actor=technician, kind="hdd", serial_number="S2ZYJ9FF710125")
    [result] = services.evidence_import(files=upload("nwipe-failed.log"), actor=technician).files
    assert not result.imported
    assert "usealle laitteelle" in result.reason
    assert first.inventory_code in result.reason and second.inventory_code in result.reason
    assert not Erasure.objects.exists()


def test_device_matched_by_a_disc_already_recorded(batch, technician):
    device = factories.make_device(batch, technician, serial_number="PF0NOSYSTEM")
    services.medium_add(
        device=device, actor=technician, kind="hdd", serial_number="s2zyj9ff 710125"
    )
    [result] = services.evidence_import(files=upload("nwipe-failed.log"), actor=technician).files
    assert result.device == device and result.imported
    assert device.media.count() == 2  # the intake NVMe stays, the HDD was matched


def test_file_already_imported_is_refused_naming_when(batch, technician, coordinator):
    factories.make_device(batch, technician, serial_number="PF1EVID02")
    services.evidence_import(files=upload("nwipe-failed.log"), actor=technician)
    [again] = services.evidence_import(files=upload("nwipe-failed.log"), actor=coordinator).files
    assert not again.imported
    assert again.reason.startswith("Tiedosto on jo tuotu ")
    assert "Teemu" in again.reason and "nwipe-failed.log" in again.reason
    assert Erasure.objects.count() == 1


def test_the_same_file_twice_in_one_upload(batch, technician):
    factories.make_device(batch, technician, serial_number="PF1EVID02")
    files = upload("nwipe-failed.log") + [("copy.log", (SAMPLES / "nwipe-failed.log").read_bytes())]
    first, second = services.evidence_import(files=files, actor=technician).files
    assert first.imported and not second.imported
    assert "nwipe-failed.log" in second.reason


def test_unknown_method_is_refused_and_nothing_recorded(batch, technician):
    device = factories.make_device(batch, technician, serial_number="PF1EVID06")
    [result] = services.evidence_import(
        files=upload("nwipe-unknown-method.log"), actor=technician
    ).files
    assert not result.imported
    assert "”Fill With Twos”" in result.reason and "ei tunneta" in result.reason
    assert not device.erasures.exists() and not EvidenceFile.objects.exists()


def test_one_refused_file_does_not_undo_the_others(batch, technician):
    factories.make_device(batch, technician, serial_number="PF1EVID02")
    factories.make_device(batch, technician, serial_number="PF1EVID06")
    files = upload("nwipe-failed.log", "nwipe-unknown-method.log", "nwipe-aborted.log")
    outcome = services.evidence_import(files=files, actor=technician)
    assert [f.imported for f in outcome.files] == [True, False, False]
    assert "laitetta ei löytynyt" in outcome.files[2].reason
    assert EvidenceFile.objects.count() == 1


def test_device_not_received_is_listed_with_its_status(batch, technician):
    device = factories.make_ready_device(batch, technician, serial_number="PF1EVID02")
    [result] = services.evidence_import(files=upload("nwipe-failed.log"), actor=technician).files
    assert not result.imported and result.device == device
    assert f"Laite {device.inventory_code} on jo tyhjennetty" in result.reason
    assert f"tilassa ”{device.get_status_display()}”" in result.reason
    assert not EvidenceFile.objects.exists()


def test_dry_run_writes_nothing(batch, technician):
    device = factories.make_device(batch, technician, serial_number="PF1EVID01")
    outcome = services.evidence_import(
        files=upload("nwipe-pass-two-discs.log"), actor=technician, dry_run=True
    )
    [result] = outcome.files
    assert result.imported and len(result.media) == 2
    device.refresh_from_db()
    assert device.status == Device.Status.RECEIVED
    assert not EvidenceFile.objects.exists() and not Erasure.objects.exists()
    assert device.media.get().serial_number == ""
    assert not list((Path(default_storage.location)).rglob("*.log"))


def test_too_large_and_too_many_files_are_refused_without_reading(batch, technician, settings):
    big = b"x" * (evidence_service.MAX_FILE_BYTES + 1)
    [result] = services.evidence_import(files=[("big.log", big)], actor=technician).files
    assert "liian suuri" in result.reason
    files = [(f"{n}.log", b"x") for n in range(evidence_service.MAX_FILES + 1)]
    outcome = services.evidence_import(files=files, actor=technician)
    assert len(outcome.files) == evidence_service.MAX_FILES + 1
    assert "enintään 50 tiedostoa" in outcome.files[-1].reason


def test_unreadable_file_is_listed(technician):
    [result] = services.evidence_import(files=[("notes.txt", b"hello")], actor=technician).files
    assert not result.imported and "Tiedostoa ei voitu lukea" not in result.reason
    assert "ei ole nwipen loki" in result.reason


def test_pdf_report_is_imported(batch, technician):
    device = factories.make_device(
        batch, technician, serial_number="PF1EVIDPDF", storage_type=Device.StorageType.SSD
    )
    [result] = services.evidence_import(
        files=[("r.pdf", disc_report_pdf())], actor=technician
    ).files
    assert result.imported, result.reason
    assert device.media.get().serial_number == "S62ANJ0R123456X"
    assert EvidenceFile.objects.get().kind == EvidenceFile.Kind.NWIPE_PDF


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"the shared erasure samples are not at {SHARED}")
def test_shared_workbench_samples(batch, technician):
    one = factories.make_device(batch, technician, serial_number="LUSEA0D010038879A01601")
    two = factories.make_device(
        batch,
        technician,
        serial_number="foo",
        category=Device.Category.DESKTOP,
        storage_type=Device.StorageType.HDD,
    )
    files = [(p.name, p.read_bytes()) for p in sorted(SHARED.glob("workbench11-*.json"))]
    first, second = services.evidence_import(files=files, actor=technician).files
    assert first.device == one and [m.serial for m in first.media] == ["WD-WX11A80W7430"]
    assert second.device == two
    assert [(m.serial, m.passed) for m in second.media] == [
        ("WD-WCAV29008961", True),
        ("WD-WCAV27984668", True),
    ]
    for device in (one, two):
        device.refresh_from_db()
        assert device.status == Device.Status.ERASED
    assert StorageMedium.objects.filter(device=one, kind="hdd").count() == 1
