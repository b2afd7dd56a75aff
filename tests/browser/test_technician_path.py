"""A technician's path: receive a batch, log devices, print labels, erase and refurbish."""

import re

import pytest

from devices.models import Device, DonationBatch
from tests import factories
from tests.browser.conftest import BROWSER, log_in, open_pdf

pytestmark = BROWSER
expect = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed"
).expect


def fill_device(page, serial):
    page.select_option("#id_category", Device.Category.LAPTOP)
    page.fill("#id_manufacturer", "Lenovo")
    page.fill("#id_model", "ThinkPad T480")
    page.fill("#id_serial_number", serial)
    page.select_option("#id_condition_grade", Device.Grade.B)


def test_technician_receives_logs_labels_erases_and_refurbishes(
    page, shot, technician, donor, donor_user
):
    batch = factories.make_batch(donor, donor_user, received=False, declared_count=2)
    log_in(page, technician)
    shot("start page")

    # The start page lists the batch waiting for receipt.
    page.locator(".waiting-batches").get_by_role("link", name=batch.reference).click()
    shot("batch waiting")
    page.get_by_role("button", name="Merkitse vastaanotetuksi").click()
    expect(page.locator("h1")).to_contain_text("Laitteiden kirjaus")
    shot("intake form")

    # Two devices with "save and add next": the form comes back empty for the next one.
    fill_device(page, "PF0BR001")
    shot("first device filled")
    page.get_by_role("button", name="Tallenna ja kirjaa seuraava").click()
    expect(page.locator(".messages")).to_contain_text("ThinkPad T480")
    expect(page.locator("#id_serial_number")).to_have_value("")
    fill_device(page, "PF0BR002")
    page.get_by_role("button", name="Tallenna ja kirjaa seuraava").click()
    first, second = Device.objects.filter(batch=batch).order_by("logged_at", "pk")
    assert [first.serial_number, second.serial_number] == ["PF0BR001", "PF0BR002"]
    shot("second device logged")

    # The label of the device just logged, then the batch's A4 sheet.
    link = page.get_by_role("link", name=f"Tulosta tarra {second.inventory_code}")
    content_type, pdf = open_pdf(page, link)
    assert content_type == "application/pdf"
    assert pdf.startswith(b"%PDF-")
    shot.pdf("label pdf", pdf)
    page.go_back()
    page.get_by_role("link", name="Lopeta kirjaus").click()
    expect(page.locator("h1")).to_contain_text(batch.reference)
    shot("batch with devices")
    content_type, pdf = open_pdf(page, page.get_by_role("link", name="Tulosta erän tarrat (A4)"))
    assert content_type == "application/pdf"
    assert pdf.startswith(b"%PDF-")
    shot.pdf("label sheet pdf", pdf)
    page.go_back()

    # Erasure of the first device, opened by typing its code into the header scan field.
    page.fill("#scan-code", first.inventory_code)
    page.press("#scan-code", "Enter")
    expect(page.locator("h1")).to_contain_text(first.inventory_code)
    shot("device page")
    page.get_by_role("link", name="Kirjaa tyhjennys").click()
    # Intake recorded no storage: the drive erased is recorded with its erasure.
    page.select_option("#id_new_medium_kind", "nvme")
    page.check("input[name=method][value=purge]")
    page.select_option("#id_technique", "nvme_sanitize")
    page.fill("#id_tool_name", "nwipe")
    page.fill("#id_tool_version", "0.36")
    page.check("input[name=verification][value=full]")
    page.check("input[name=result][value=passed]")
    shot("erasure form filled")
    page.get_by_role("button", name="Tallenna tyhjennys").click()
    expect(page.locator(".messages")).to_contain_text("tyhjennetty")
    shot("erasure logged")
    first.refresh_from_db()
    assert first.status == Device.Status.ERASED

    # The refurbishment checklist: every item ok makes the device ready for handover.
    page.fill("#scan-code", first.inventory_code)
    page.press("#scan-code", "Enter")
    page.get_by_role("link", name="Kirjaa kunnostus").click()
    for box in page.locator(".refurbishment-form input[type=checkbox]").all():
        box.check()
    shot("refurbishment checklist")
    page.get_by_role("button", name="Tallenna tarkastus").click()
    expect(page.locator(".messages")).to_contain_text("valmis luovutettavaksi")
    shot("refurbishment logged")
    first.refresh_from_db()
    assert first.status == Device.Status.READY

    page.fill("#scan-code", first.inventory_code)
    page.press("#scan-code", "Enter")
    expect(page.locator("h1")).to_contain_text(re.compile("valmis luovutettavaksi", re.I))
    shot("device ready")
    batch.refresh_from_db()
    assert batch.status == DonationBatch.Status.RECEIVED
