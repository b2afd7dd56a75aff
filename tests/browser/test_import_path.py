"""A technician's import of a device list: upload -> preview -> change a column and the default
category -> confirm -> the batch lists the devices. Screenshots at 1280 px and at 390 px."""

import re

import pytest

from devices.models import Device
from tests import factories
from tests.browser.conftest import BROWSER, log_in

pytestmark = BROWSER
expect = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed"
).expect

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# No category column; the serial column's name is no alias ("Laitteen tunniste"). The
# ThinkPad and the EliteBook get their kind from the model; the Esprimo needs a default.
LIST = (
    "valmistaja;malli;Laitteen tunniste;muisti\n"
    "Lenovo;ThinkPad T480;PF0BRW001;8\n"
    "HP;EliteBook 840 G5;5CG0BRW002;16\n"
    "Fujitsu;Esprimo P757;YM0BRW003;8\n"
)


def page_scrolls_sideways(page):
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def test_technician_previews_adjusts_and_confirms_an_import(
    page, shot, technician, donor, tmp_path
):
    batch = factories.make_batch(donor, technician, declared_count=3)
    upload = tmp_path / "laitteet.csv"
    upload.write_text(LIST, encoding="utf-8")
    log_in(page, technician)
    page.goto(batch.get_absolute_url())
    page.get_by_role("link", name="Tuo laiteluettelo").click()
    expect(page.get_by_role("link", name="Lataa XLSX-pohja")).to_be_visible()
    page.set_input_files("#id_file", upload)
    shot("upload form")
    page.get_by_role("button", name="Esikatsele").click()

    expect(page.locator("h1")).to_contain_text("esikatselu")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("puolipiste (;)")
    expect(facts).to_contain_text("rivi 1")
    # The guesses: no serial column, so nothing ties the rows to their serials yet;
    # the Esprimo has no category, so the import cannot be confirmed.
    expect(page.get_by_label("Sarjanumero")).to_have_value("")
    expect(page.locator(".import-blockers")).to_contain_text("1 rivi vaatii korjausta")
    expect(page.get_by_role("button", name=re.compile(r"^Tuo \d+ laite"))).to_be_disabled()
    shot("preview as guessed")
    page.set_viewport_size(PHONE)
    assert not page_scrolls_sideways(page)
    shot("preview as guessed phone")
    page.set_viewport_size(DESKTOP)

    page.get_by_label("Sarjanumero").select_option(label="C: Laitteen tunniste")
    page.get_by_label("Laji riveille, joilla sitä ei ole").select_option(Device.Category.DESKTOP)
    page.get_by_role("button", name="Päivitä esikatselu").click()

    expect(page.get_by_label("Sarjanumero")).to_have_value("2")
    rows = page.locator("table.import-rows tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("table.import-rows")).to_contain_text("YM0BRW003")
    expect(page.locator("table.import-rows")).to_contain_text("pöytäkone (oletus)")
    shot("preview after changes")
    page.set_viewport_size(PHONE)
    assert not page_scrolls_sideways(page)
    shot("preview after changes phone")
    page.set_viewport_size(DESKTOP)

    page.get_by_role("button", name="Tuo 3 laitetta").click()
    expect(page.locator("h1")).to_contain_text(batch.reference)
    expect(page.locator(".messages")).to_contain_text(
        f"3 laitetta kirjattu erään {batch.reference}."
    )
    for serial in ("PF0BRW001", "5CG0BRW002", "YM0BRW003"):
        expect(page.locator("main")).to_contain_text(serial)
    shot("batch with devices")
    page.set_viewport_size(PHONE)
    assert not page_scrolls_sideways(page)
    shot("batch with devices phone")

    devices = {device.serial_number: device for device in Device.objects.filter(batch=batch)}
    assert devices["PF0BRW001"].category == Device.Category.LAPTOP
    assert devices["YM0BRW003"].category == Device.Category.DESKTOP
    assert devices["5CG0BRW002"].ram_gb == 16


def test_donor_registers_a_batch_with_a_list_and_confirms_its_preview(
    page, shot, donor_user, donor, tmp_path
):
    upload = tmp_path / "lahjoitus.csv"
    upload.write_text(
        "laji;valmistaja;malli;sarjanumero;inventaariotunnus\n"
        "kannettava;Lenovo;ThinkPad T480;PF1DON001;HAMK-0001\n"
        "näyttö;Dell;P2419H;CN0DON002;HAMK-0002\n",
        encoding="utf-8",
    )
    log_in(page, donor_user)
    page.goto("/batches/new/")
    expect(page.get_by_role("link", name="Lataa CSV-pohja")).to_be_visible()
    page.fill("#id_declared_count", "2")
    page.set_input_files("#id_device_list", upload)
    page.get_by_role("button", name="Ilmoita erä").click()

    expect(page.locator("h1")).to_contain_text("laiteluettelo: esikatselu")
    expect(page.locator(".import-summary")).to_contain_text("1 rivi jätetään pois")
    shot("donor list preview")
    page.set_viewport_size(PHONE)
    assert not page_scrolls_sideways(page)
    shot("donor list preview phone")
    page.set_viewport_size(DESKTOP)
    # Leaving the monitor out is what the button says.
    page.get_by_role("button", name="Tallenna 1 laite luetteloon ja jätä 1 rivi pois").click()
    expect(page.locator(".messages")).to_contain_text("1 rivi jätettiin pois.")
    expect(page.locator("main")).to_contain_text("HAMK-0001")
    expect(page.locator("main")).not_to_contain_text("odottaa vahvistusta")
    shot("batch with the donor list")
