"""A failed header scan leaves the code selected in the scan field, so the scanner's next
code replaces it and opens the device."""

import pytest

from tests import factories
from tests.browser.conftest import BROWSER, log_in

pytestmark = BROWSER
expect = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed"
).expect


def test_a_failed_scan_keeps_the_focus_in_the_scan_field(page, shot, technician, donor):
    device = factories.make_device(factories.make_batch(donor, technician), technician)
    log_in(page, technician)
    field = page.locator("#scan-code")
    field.fill("EI-TALLA-KOODILLA")
    field.press("Enter")
    expect(page.locator("h1")).to_contain_text("Laitetta ei löytynyt")
    expect(page.locator("main")).to_contain_text("EI-TALLA-KOODILLA")
    shot("scan not found")
    expect(field).to_be_focused()
    selected = page.evaluate(
        "() => { const f = document.activeElement;"
        " return f.value.slice(f.selectionStart, f.selectionEnd); }"
    )
    assert selected == "EI-TALLA-KOODILLA"

    # The scanner types the next code straight away: it replaces the failed one.
    page.keyboard.type(device.serial_number.lower())
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(device.inventory_code)
