"""The dashboard page reads only its top donors, off the ranking index, and ranks them as
the full figures do: by devices received (donor table) or emissions avoided (impact), then
by name, however the values tie."""

import pytest
from django.urls import reverse

from devices.models import Donor
from reports.selectors import dashboard, impact, live
from reports.selectors.filters import ReportFilter
from tests import factories
from tests.kierratys import programme

pytestmark = pytest.mark.django_db


def _donor_with(name, technician, coach, *, devices, handed):
    donor = Donor.objects.create(name=name)
    batch = factories.make_batch(donor, technician)
    made = [factories.make_ready_device(batch, technician) for _ in range(devices)]
    for device in made[:handed]:
        client = factories.make_eligible_client(coach)
        programme.hand_over(
            device, client, coach, reserved=programme.moment(1, 3), handed=programme.moment(2, 3)
        )
    return donor


@pytest.fixture
def donors(technician, coach):
    # Equal figures for "Beta" and "Alfa": the name decides between them.
    return [
        _donor_with("Beta Oy", technician, coach, devices=2, handed=1),
        _donor_with("Alfa Oy", technician, coach, devices=2, handed=1),
        _donor_with("Gamma Oy", technician, coach, devices=3, handed=0),
        _donor_with("Delta Oy", technician, coach, devices=1, handed=1),
    ]


@pytest.mark.parametrize("limit", [1, 2, 3, 4, 10])
def test_the_top_donors_are_those_of_the_full_figures(donors, limit):
    every_time = ReportFilter()
    rows, count = dashboard.top_donor_totals(every_time, limit=limit)
    assert (rows, count) == dashboard.ranked_donors(live.donor_totals(every_time), limit=limit)
    assert count == 4
    assert [row.name for row in rows] == ["Gamma Oy", "Alfa Oy", "Beta Oy", "Delta Oy"][:limit]


@pytest.mark.parametrize("limit", [1, 2, 3, 10])
def test_the_top_impact_donors_are_those_of_the_full_figures(donors, limit):
    every_time = ReportFilter()
    quick, full = (
        impact.top_impact_figures(every_time, limit=limit),
        live.impact_figures(every_time),
    )
    assert quick.total == full.total
    assert quick.by_municipality == full.by_municipality
    assert quick.by_donor == full.by_donor[:limit]
    # Gamma's devices were not reused: it has no impact row.
    assert [row.label for row in quick.by_donor] == ["Alfa Oy", "Beta Oy", "Delta Oy"][:limit]


def test_the_dashboard_page_shows_the_ranked_donors(donors, coordinator_client):
    response = coordinator_client.get("/reports/")
    page = response.content.decode()
    table = page[page.index("<h2>Lahjoittajittain</h2>") :]
    assert table.index("Gamma Oy") < table.index("Alfa Oy") < table.index("Beta Oy")


def test_each_donor_row_links_its_own_yearly_report(donors, coordinator_client):
    page = coordinator_client.get("/reports/").content.decode()
    for donor in donors:
        url = reverse("reports:donor_report", kwargs={"pk": donor.pk})
        assert f'href="{url}?year=' in page
        assert coordinator_client.get(f"{url}?year=2025").status_code == 200
