"""The wipe-tool report parsers (devices.evidence) and the method table, on the shared samples
(../shared/testdata/erasure/), the hand-written failing samples beside this file, and nwipe-like
PDF reports made with WeasyPrint."""

import json
from pathlib import Path

import pytest

from devices.evidence import (
    NWIPE_LOG,
    NWIPE_PDF,
    WORKBENCH,
    EvidenceParseError,
    detect_kind,
    methods,
    read_report,
)
from devices.models import Erasure
from devices.models.processing import TECHNIQUES_BY_METHOD
from tests.devices.evidence_pdf import disc_report_pdf

SAMPLES = Path(__file__).resolve().parent / "evidence_samples"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "erasure"
shared_only = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"the shared erasure samples are not at {SHARED}"
)


def sample(name):
    path = SAMPLES / name
    return read_report(name, path.read_bytes())


def shared(name):
    path = SHARED / name
    return read_report(name, path.read_bytes())


def category(report, medium):
    return methods.classify(
        tool=report.tool_name,
        method=medium.method,
        medium_kind=medium.kind,
        verification=medium.verification,
    )


@shared_only
def test_workbench_one_drive_sample():
    report = shared("workbench11-one-drive.json")
    assert (report.kind, report.tool_name, report.tool_version) == (
        WORKBENCH,
        "Workbench",
        "11.0b9",
    )
    # The motherboard's "Base Board Serial Number" is a firmware placeholder: left out.
    assert report.system_serials == ["LUSEA0D010038879A01601"]
    [drive] = report.media
    assert (drive.serial, drive.model, drive.kind, drive.capacity_gb) == (
        "WD-WX11A80W7430",
        "WDC WD1600BEVT-2",
        "hdd",
        160,
    )
    assert drive.method == "EraseBasic" and drive.passed and drive.failure_reasons == []
    assert drive.started_at.isoformat().startswith("2019-09-10T10:51:20")
    assert drive.notes == ["StepRandom"]
    derived = category(report, drive)
    assert (derived.category, derived.technique, derived.verification) == (
        Erasure.Method.CLEAR,
        Erasure.Technique.OVERWRITE,
        Erasure.Verification.NONE,
    )


@shared_only
def test_workbench_two_drives_sample():
    report = shared("workbench11-two-drives.json")
    assert report.tool_version == "11.0a3"
    assert report.system_serials == ["foo", "109192430003459"]
    serials = [(m.serial, m.passed, m.capacity_gb) for m in report.media]
    # The failing SMART test of the first drive is not its erasure: the erasure passed.
    assert serials == [("WD-WCAV29008961", True, 305), ("WD-WCAV27984668", True, 305)]
    assert {category(report, m).category for m in report.media} == {Erasure.Method.CLEAR}


def test_passing_nwipe_log_with_hdd_and_nvme():
    report = sample("nwipe-pass-two-discs.log")
    assert report.kind == NWIPE_LOG
    assert report.tool_name == "nwipe (ShredOS v2024.02.2_26.0_x86-64_0.38)"
    assert report.tool_version == "0.38"
    assert report.system_serials == ["PF1EVID01"]  # chassis serial is the same one
    hdd, nvme = report.media
    # The serial comes from the Found line, not the truncated Drive Status column.
    assert (hdd.serial, hdd.kind, hdd.bus, hdd.capacity_gb) == (
        "WD-WXC1A14S2591",
        "hdd",
        "ATA",
        320,
    )
    assert (nvme.serial, nvme.kind, nvme.model) == (
        "NS8BN06381120BD03",
        "nvme",
        "BC501 NVMe SK hynix 256GB",
    )
    assert hdd.passed and nvme.passed
    assert hdd.method == nvme.method == "PRNG Stream"
    assert hdd.verification == "full"
    assert hdd.started_at.strftime("%H:%M:%S") == "09:00:10"
    assert hdd.ended_at.strftime("%H:%M:%S") == "10:59:40"
    assert nvme.ended_at.strftime("%H:%M:%S") == "09:10:17"
    assert str(hdd.started_at.tzinfo) == "Europe/Helsinki"
    assert category(report, nvme).category == Erasure.Method.CLEAR


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("nwipe-failed.log", "nwipen tila FAILED"),
        ("nwipe-failed.log", "kirjoitusvirheitä (pass errors): 3"),
        ("nwipe-aborted.log", "nwipen tila ABORTED"),
        ("nwipe-verify-errors.log", "varmennusvirheitä (verification errors): 12"),
        ("nwipe-hpa-hidden.log", "piilotetut sektorit (HPA/DCO) jäivät tyhjentämättä"),
    ],
)
def test_failing_nwipe_logs_fail_with_the_reason(name, reason):
    [disc] = sample(name).media
    assert not disc.passed
    assert any(reason in r for r in disc.failure_reasons), disc.failure_reasons


def test_an_insanity_status_fails():
    text = (SAMPLES / "nwipe-hpa-hidden.log").read_text()
    text = text.replace("  sda    | Erased |", "! sda    |INSANITY|").replace(
        "Visible sectors erased as requested, however hidden sectors NOT erased", "done"
    )
    text = text.replace("HPA/DCO is enabled", "HPA/DCO is disabled")
    [disc] = read_report("x.log", text.encode()).media
    assert disc.failure_reasons == ["nwipen tila INSANITY (Drive Status -taulukko)"]


def test_a_truncated_log_fails_every_disc():
    text = (SAMPLES / "nwipe-pass-two-discs.log").read_text()
    cut = text[: text.index("****")]
    report = read_report("x.log", cut.encode())
    assert [m.passed for m in report.media] == [False, False]
    assert any("viimeinen rivi" in r for r in report.media[0].failure_reasons)


def test_a_disc_the_run_did_not_erase_is_listed_not_attempted():
    text = (SAMPLES / "nwipe-failed.log").read_text()
    text = text.replace(
        "Found /dev/sda,",
        "Found /dev/sdc,  USB, SanDisk Cruzer, 16 GB, S/N=4C530001\n"
        "[2026/11/30 11:00:03]  notice: Found /dev/sda,",
    )
    report = read_report("x.log", text.encode())
    stick, disc = report.media
    assert (stick.serial, stick.kind, stick.attempted) == ("4C530001", "removable", False)
    assert disc.attempted


def test_failed_workbench_erasure():
    report = sample("workbench-erase-failed.json")
    [drive] = report.media
    assert not drive.passed
    assert "vaihe StepRandom epäonnistui (severity Error)" in drive.failure_reasons
    assert drive.notes == ["StepZero, StepRandom"]
    # EraseSectors checks every sector: still an overwrite (Clear), with full verification.
    derived = category(report, drive)
    assert (derived.category, derived.verification) == (Erasure.Method.CLEAR, "full")


def test_disc_pdf_report_read_through_pypdf():
    content = disc_report_pdf()
    assert detect_kind(content) == NWIPE_PDF
    report = read_report(
        "nwipe_report_2026-11-30_Model_X_Serial_S62ANJ0R123456X_device_sda.pdf", content
    )
    assert report.system_serials == ["PF1EVIDPDF"]
    [disc] = report.media
    assert (disc.serial, disc.model, disc.kind, disc.capacity_gb) == (
        "S62ANJ0R123456X",
        "Samsung SSD 870 EVO 500GB",
        "ssd",
        500,
    )
    assert (disc.method, disc.verification, disc.passed) == ("PRNG Stream", "full", True)
    assert disc.started_at.strftime("%Y-%m-%d %H:%M") == "2026-11-30 08:10"


def test_failed_disc_pdf_report_names_every_reason():
    content = disc_report_pdf(
        status="FAILED",
        hpa="ENABLED",
        errors="0/0/4/0",
        information="Visible sectors erased as requested, however hidden sectors NOT erased",
    )
    [disc] = read_report("r.pdf", content).media
    assert not disc.passed
    assert disc.failure_reasons == [
        "nwipen tila FAILED",
        "nwipe ilmoitti virheitä (pass/sync/verify): 0/0/4/0",
        "piilotetut sektorit (HPA/DCO) jäivät tyhjentämättä",
    ]


def test_firmware_sanitize_pdf_is_purge_by_bus():
    report = read_report("r.pdf", disc_report_pdf(method="Secure Erase (Block)", bus="NVME"))
    [disc] = report.media
    assert disc.kind == "nvme"
    derived = category(report, disc)
    assert (derived.category, derived.technique) == (
        Erasure.Method.PURGE,
        Erasure.Technique.NVME_SANITIZE,
    )
    ata = methods.classify(
        tool="nwipe", method="Secure Erase (Block)", medium_kind="hdd", verification="none"
    )
    assert ata.technique == Erasure.Technique.ATA_SECURE_ERASE
    crypto = methods.classify(
        tool="nwipe", method="Secure Erase (Crypto)", medium_kind="ssd", verification="none"
    )
    assert crypto.technique == Erasure.Technique.CRYPTO_ERASE


def test_content_decides_the_kind_not_the_extension():
    log = (SAMPLES / "nwipe-failed.log").read_bytes()
    assert detect_kind(log) == NWIPE_LOG
    assert read_report("report.pdf", log).kind == NWIPE_LOG
    assert read_report("log.txt", disc_report_pdf()).kind == NWIPE_PDF
    with pytest.raises(EvidenceParseError):
        read_report("nwipe.log", b"just some notes\n")
    with pytest.raises(EvidenceParseError):
        read_report("snap.json", json.dumps({"type": "Other"}).encode())
    with pytest.raises(EvidenceParseError):
        read_report("broken.pdf", b"%PDF-1.7\nnot really")


def test_unknown_method_is_refused_naming_it():
    report = sample("nwipe-unknown-method.log")
    with pytest.raises(methods.MethodRefused) as refused:
        category(report, report.media[0])
    assert "Fill With Twos" in refused.value.messages[0]
    assert "ei tunneta" in refused.value.messages[0]


def test_verify_zeros_is_not_an_erasure():
    report = sample("nwipe-verify-zeros.log")
    with pytest.raises(methods.MethodRefused) as refused:
        category(report, report.media[0])
    assert "vain tarkistaa levyn" in refused.value.messages[0]


def test_reverse_and_scatter_suffixes_map_to_the_method():
    derived = methods.classify(
        tool="nwipe", method="PRNG Stream (R)", medium_kind="hdd", verification="full"
    )
    assert derived.category == Erasure.Method.CLEAR


def test_every_table_row_is_a_technique_the_model_accepts():
    for tool, name, row in methods.table_rows():
        if row.verification_only:
            continue
        for kind in ("hdd", "ssd", "nvme"):
            derived = methods.classify(
                tool=tool, method=name, medium_kind=kind, verification="none"
            )
            assert derived.technique in TECHNIQUES_BY_METHOD[derived.category], (tool, name)
