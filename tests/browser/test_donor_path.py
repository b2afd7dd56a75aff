"""A donor's path: from the start page, register a donation batch and find it in the list."""

import pytest

from devices.models import DonationBatch
from tests.browser.conftest import BROWSER, log_in

pytestmark = BROWSER
expect = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed"
).expect


def test_donor_registers_a_batch_from_the_start_page(page, shot, donor_user, donor):
    log_in(page, donor_user)
    expect(page.locator("h2", has_text="Lahjoittajan sivu")).to_be_visible()
    shot("start page")

    page.get_by_role("link", name="Ilmoita lahjoituserä").click()
    expect(page.locator("h1")).to_have_text("Ilmoita lahjoituserä")
    page.fill("#id_declared_count", "12")
    page.fill("#id_declared_kinds", "10 kannettavaa, 2 puhelinta")
    page.select_option("#id_delivery", DonationBatch.Delivery.DELIVERY)
    page.check("#id_wants_certificate")
    shot("batch form filled")
    page.get_by_role("button", name="Ilmoita erä").click()

    batch = DonationBatch.objects.get(donor=donor)
    expect(page.locator("h1")).to_contain_text(batch.reference)
    expect(page.locator(".messages")).to_be_visible()
    shot("batch registered")
    assert batch.declared_count == 12
    assert batch.status == DonationBatch.Status.REGISTERED
    assert batch.registered_by == donor_user

    page.get_by_role("link", name="Lahjoituserämme").click()
    expect(page.get_by_role("link", name=batch.reference)).to_be_visible()
    shot("batch list")
