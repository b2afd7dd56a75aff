"""A technician uploads a day's wipe-tool reports at once and sees what each file matched."""

from pathlib import Path

import pytest

from devices.models import Device
from tests import factories
from tests.browser.conftest import BROWSER, log_in
from tests.devices.evidence_pdf import disc_report_pdf

pytestmark = BROWSER
expect = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed"
).expect

SAMPLES = Path(__file__).resolve().parent.parent / "devices" / "evidence_samples"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_technician_uploads_a_days_reports(page, shot, technician, donor):
    batch = factories.make_batch(donor, technician, declared_count=4)
    laptop = factories.make_device(batch, technician, serial_number="PF1EVID01")
    failed = factories.make_device(batch, technician, serial_number="PF1EVID02")
    pdf_device = factories.make_device(
        batch, technician, serial_number="PF1EVIDPDF", storage_type=Device.StorageType.SSD
    )
    log_in(page, technician)
    page.get_by_role("link", name="Tuo tyhjennysraportit").click()
    expect(page.locator("h1")).to_have_text("Tuo tyhjennysraportit")
    shot("upload page")

    files = [
        {"name": name, "mimeType": "text/plain", "buffer": (SAMPLES / name).read_bytes()}
        for name in ("nwipe-pass-two-discs.log", "nwipe-failed.log", "nwipe-aborted.log")
    ]
    files.append(
        {
            "name": "nwipe_report_2026-11-30_Model_Samsung_Serial_S62ANJ0R123456X_device_sda.pdf",
            "mimeType": "application/pdf",
            "buffer": disc_report_pdf(),
        }
    )
    page.get_by_label("Tyhjennysraportit").set_input_files(files)
    shot("files chosen")
    page.get_by_role("button", name="Tuo raportit").click()

    results = page.locator(".evidence-results")
    expect(results).to_be_visible()
    expect(page.locator(".messages")).to_contain_text("3 tiedostoa tuotu.")
    expect(page.locator(".messages")).to_contain_text("1 tiedosto jäi tuomatta")
    rows = results.locator("tbody tr")
    expect(rows.filter(has_text="NS8BN06381120BD03")).to_contain_text("onnistui")
    expect(rows.filter(has_text="WD-WXC1A14S2591")).to_contain_text(laptop.inventory_code)
    expect(rows.filter(has_text="S2ZYJ9FF710125")).to_contain_text("nwipen tila FAILED")
    expect(rows.filter(has_text="nwipe-aborted.log")).to_contain_text("Yhtään laitetta ei löytynyt")
    expect(rows.filter(has_text="S62ANJ0R123456X")).to_contain_text(pdf_device.inventory_code)
    shot("results")

    for device, status in (
        (laptop, Device.Status.ERASED),
        (failed, Device.Status.RECEIVED),
        (pdf_device, Device.Status.ERASED),
    ):
        device.refresh_from_db()
        assert device.status == status

    # The device link opens the erased laptop's page.
    results.get_by_role("link", name=laptop.inventory_code).click()
    expect(page.locator("h1")).to_contain_text(laptop.inventory_code)
    shot("device page")
