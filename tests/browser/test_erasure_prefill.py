"""The erasure form is prefilled only with what fits the device (issue 16): a phone's factory
reset never reaches an NVMe laptop's form."""

import pytest

from devices.models import Device
from tests import factories
from tests.browser.conftest import BROWSER, log_in

pytestmark = BROWSER
expect = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed"
).expect


def test_a_phones_factory_reset_does_not_prefill_a_laptops_form(page, shot, technician, donor):
    batch = factories.make_batch(donor, technician)
    phone = factories.make_device(batch, technician, category=Device.Category.PHONE)
    laptop = factories.make_device(batch, technician)  # an NVMe drive
    log_in(page, technician)

    page.goto(f"/devices/{phone.inventory_code}/erasure/")
    # The phone's one built-in memory is chosen, with its usual erasure.
    expect(page.locator("input[name=medium]")).to_be_checked()
    expect(page.locator("#id_technique")).to_have_value("factory_reset")
    page.fill("#id_tool_name", "Android")
    page.fill("#id_tool_version", "14")
    page.get_by_label("täysi varmennus").check()
    page.get_by_label("onnistui", exact=True).check()
    shot("phone factory reset")
    page.get_by_role("button", name="Tallenna tyhjennys").click()
    expect(page.locator(".messages, [role=status]").first).to_contain_text("tyhjennetty")

    page.goto(f"/devices/{laptop.inventory_code}/erasure/")
    expect(page.locator("#id_technique")).to_have_value("nvme_sanitize")
    expect(page.locator("#id_technique")).not_to_have_value("factory_reset")
    expect(page.locator("input[name=method][value=purge]")).to_be_checked()
    expect(page.locator("#id_tool_name")).not_to_have_value("Android")
    shot("laptop form prefilled for nvme")


def test_a_failed_result_asks_why_and_the_error_describes_the_group(page, shot, technician, donor):
    laptop = factories.make_device(factories.make_batch(donor, technician), technician)
    log_in(page, technician)
    page.goto(f"/devices/{laptop.inventory_code}/erasure/")
    reason = page.locator("#id_failure_reason")
    expect(reason).to_be_hidden()  # asked only for a failed result
    page.fill("#id_tool_version", "2.8")
    page.get_by_label("täysi varmennus").check()
    page.get_by_label("epäonnistui").check()
    expect(reason).to_be_visible()
    page.get_by_role("button", name="Tallenna tyhjennys").click()

    expect(page.locator("[data-error-summary]")).to_contain_text("Kerro, miksi tyhjennys")
    expect(page.locator(".field-failure_reason .errorlist")).to_be_visible()
    shot("failed without a reason")
    # A result left unchosen: the radio group is described by its error.
    page.goto(f"/devices/{laptop.inventory_code}/erasure/")
    page.get_by_role("button", name="Tallenna tyhjennys").click()
    expect(page.locator("fieldset.field-result")).to_have_attribute(
        "aria-describedby", "id_result_error"
    )
    shot("result not chosen")
