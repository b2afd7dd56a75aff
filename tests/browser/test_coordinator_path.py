"""A coordinator's path: from the start page to the programme dashboard and its charts."""

import pytest

from tests import factories
from tests.browser.conftest import BROWSER, log_in

pytestmark = BROWSER
expect = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed"
).expect


def test_coordinator_opens_the_dashboard_and_sees_a_chart(
    page, shot, coordinator, technician, donor
):
    batch = factories.make_batch(donor, technician)
    factories.make_ready_device(batch, technician)
    factories.make_device(batch, technician)
    log_in(page, coordinator)
    expect(page.locator("h2", has_text="Koordinaattorin työt")).to_be_visible()
    shot("start page")

    page.locator(".main-nav").get_by_role("link", name="Raportit").click()
    expect(page.locator("h1")).to_have_text("Ohjelman luvut")
    chart = page.locator("svg.bar-chart").first
    expect(chart).to_be_visible()
    assert chart.bounding_box()["height"] > 50
    # Exact figures (to_have_text matches the whole cell): "12" or "2026" is not "2".
    for label, figure in [("Laitteita", "2"), ("Luovutuksia", "0"), ("Tyhjennysyrityksiä", "1")]:
        cell = f"//dl[contains(@class, 'report-headline')]/dt[.='{label}']/following-sibling::dd[1]"
        expect(page.locator(f"xpath={cell}")).to_have_text(figure)
    shot("dashboard")
