"""A job coach's path: milestones until eligible, reserve a device, hand it over, print."""

import re

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

    # Record the first milestone, then all the rest at once, each with the day the form offers.
    first, *rest = milestones
    section = page.locator("#valitavoitteet")
    section.get_by_role("group", name=first.name_fi).get_by_label("Saavutettu").check()
    page.get_by_role("button", name="Kirjaa valitut").click()
    expect(page.locator(".messages")).to_contain_text(first.name_fi)
    # Back at the milestone section, not at the top of the page.
    expect(page).to_have_url(re.compile(f"{client.get_absolute_url()}#valitavoitteet$"))
    shot("first milestone recorded")
    for milestone in rest:
        page.check(f"#id_done_{milestone.pk}")
    shot("several milestones ticked")
    page.get_by_role("button", name="Kirjaa valitut").click()
    for milestone in rest:
        expect(page.locator(".messages")).to_contain_text(milestone.name_fi)
    expect(page.locator(".messages")).to_contain_text("asiakas voi nyt saada laitteen")
    shot("client eligible")

    # Reserve the ready device offered on the client's page.
    row = page.locator(".matching-devices tr", has_text=device.inventory_code)
    row.get_by_role("button", name="Varaa").click()
    expect(page.locator(".messages")).to_contain_text(f"Laite {device.inventory_code} on varattu")
    shot("device reserved")

    # A handover before the device is prepared is refused, naming what is missing, on the
    # handover form shown again; the coach goes back to the client page to prepare it.
    page.check("input[name=kind][value=gift]")
    page.get_by_role("button", name="Tarkista ja vahvista").click()
    expect(page.locator(".error-summary")).to_contain_text("Laite ei ole valmis luovutettavaksi")
    shot("handover refused: not prepared")
    page.get_by_role("link", name="Takaisin asiakkaan sivulle").click()

    # Prepare the device with the client: tick every item of the checklist.
    checklist = page.locator(".readiness-form input[type=checkbox]")
    for index in range(checklist.count()):
        checklist.nth(index).check()
    page.get_by_role("button", name="Tallenna valmistelu").click()
    expect(page.locator(".messages")).to_contain_text("Laite on valmis luovutettavaksi")
    shot("device prepared")

    # Hand it over as a gift: check what will be printed, confirm, then open the receipt.
    page.check("input[name=kind][value=gift]")
    page.get_by_role("button", name="Tarkista ja vahvista").click()
    expect(page.locator(".handover-confirmation")).to_contain_text("lahja")
    shot("handover confirmation")
    page.get_by_role("button", name="Vahvista luovutus").click()
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
