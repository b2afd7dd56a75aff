"""A job coach's path: milestones until eligible, reserve a device, hand it over, print."""

import pytest

from clients.models import Client, Handover
from devices.models import Device
from tests import factories
from tests.browser.conftest import BROWSER, log_in, open_pdf

pytestmark = BROWSER
expect = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed"
).expect


def test_coach_coaches_reserves_hands_over_and_prints_the_receipt(
    page, shot, coach, technician, donor
):
    milestones = factories.make_milestones()
    client = factories.make_client(coach, name="Maija Mallikas")
    batch = factories.make_batch(donor, technician)
    device = factories.make_ready_device(batch, technician, model="ThinkPad T490")
    log_in(page, coach)
    shot("start page")

    page.locator(".main-nav").get_by_role("link", name="Asiakkaat").click()
    shot("client list")
    page.get_by_role("link", name=client.code).first.click()
    expect(page.locator("h1")).to_contain_text(client.code)
    shot("client page")

    # Record each required milestone with today's date, as the form offers.
    for number, milestone in enumerate(milestones, start=1):
        page.select_option("#id_milestone", str(milestone.pk))
        page.get_by_role("button", name="Kirjaa", exact=True).click()
        expect(page.locator(".messages")).to_contain_text(milestone.name_fi)
        if number == 1:
            shot("first milestone recorded")
    expect(page.locator(".messages")).to_contain_text("asiakas voi nyt saada laitteen")
    shot("client eligible")

    # Reserve the ready device offered on the client's page.
    row = page.locator(".matching-devices tr", has_text=device.inventory_code)
    row.get_by_role("button", name="Varaa").click()
    expect(page.locator(".messages")).to_contain_text(f"Laite {device.inventory_code} on varattu")
    shot("device reserved")

    # A handover before the device is prepared is refused, naming what is missing.
    page.check("input[name=kind][value=gift]")
    page.get_by_role("button", name="Kirjaa luovutus").click()
    expect(page.locator(".messages")).to_contain_text("Laite ei ole valmis luovutettavaksi")
    shot("handover refused: not prepared")

    # Prepare the device with the client: tick every item of the checklist.
    checklist = page.locator(".readiness-form input[type=checkbox]")
    for index in range(checklist.count()):
        checklist.nth(index).check()
    page.get_by_role("button", name="Tallenna valmistelu").click()
    expect(page.locator(".messages")).to_contain_text("Laite on valmis luovutettavaksi")
    shot("device prepared")

    # Hand it over as a gift, then open the receipt.
    page.check("input[name=kind][value=gift]")
    page.get_by_role("button", name="Kirjaa luovutus").click()
    expect(page.locator(".messages")).to_contain_text("Laite on luovutettu")
    shot("handed over")
    handover = Handover.objects.get(client=client)
    assert handover.status == Handover.Status.HANDED_OVER
    assert handover.kind == Handover.Kind.GIFT
    device.refresh_from_db()
    assert device.status == Device.Status.HANDED_OVER
    client.refresh_from_db()
    assert client.status == Client.Status.SERVED

    receipt = page.get_by_role("link", name=f"Luovutuskuitti {handover.receipt_number} (PDF)")
    content_type, pdf = open_pdf(page, receipt)
    assert content_type == "application/pdf"
    assert pdf.startswith(b"%PDF-")
    shot.pdf("receipt pdf", pdf)
