"""A form that failed says so: the error summary takes the focus, the title starts "Virhe"."""

import pytest

from tests import factories
from tests.browser.conftest import BROWSER, log_in

pytestmark = BROWSER
expect = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed"
).expect

ACTIVE_ID = "document.activeElement && document.activeElement.id"


def test_client_form_with_errors_focuses_the_summary_and_its_links_lead_to_fields(
    page, shot, coach
):
    log_in(page, coach)
    page.goto("/clients/new/")
    page.fill("#id_phone", "040 123 4567")
    page.get_by_role("button", name="Tallenna", exact=True).click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.get_by_role("heading")).to_have_text("Lomakkeessa on virheitä")
    assert page.title().startswith("Virhe: ")
    assert page.evaluate(ACTIVE_ID) == summary.get_attribute("id")
    # What was typed is kept; the invalid field is described by its error.
    expect(page.locator("#id_phone")).to_have_value("040 123 4567")
    expect(page.locator("#id_name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_name")).to_have_attribute("aria-describedby", "id_name_error")
    shot("client form with errors")

    summary.get_by_role("link", name="Suostumus annettu: Tämä kenttä vaaditaan.").click()
    assert page.evaluate(ACTIVE_ID) == "id_consent_date"


def test_intake_with_a_bad_imei_focuses_the_summary(page, shot, technician, donor):
    batch = factories.make_batch(donor, technician)
    log_in(page, technician)
    page.goto(f"/batches/{batch.reference}/intake/")
    page.select_option("#id_category", "phone")
    page.fill("#id_imei", "123")
    page.get_by_role("button", name="Tallenna ja kirjaa seuraava").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary.locator("a[href='#id_imei']")).to_be_visible()
    assert page.title().startswith("Virhe: ")
    assert page.evaluate(ACTIVE_ID) == summary.get_attribute("id")
    # The IMEI's error is shown with the IMEI field, not under another one.
    expect(page.locator(".field-imei .errorlist")).to_be_visible()
    shot("intake with errors")
