"""Dashboard figures against a programme with known numbers, filters, access and query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports import selectors as reports
from reports.selectors import ReportFilter
from tests.kierratys import programme

pytestmark = pytest.mark.django_db


def counts(rows):
    return {row.key: row.count for row in rows}


def test_device_states(known):
    figures = reports.dashboard_figures()
    assert counts(figures.status_counts) == {
        "received": 1,
        "erased": 0,
        "ready": 1,
        "reserved": 0,
        "handed_over": 1,
        "on_loan": 1,
        "disposed": 1,
    }
    assert figures.devices_total == 5


def test_monthly_received_erased_handed_over(known):
    # The chart covers the twelve months up to the range's end (today without one).
    figures = reports.dashboard_figures(ReportFilter(date_to=datetime.date(2025, 3, 31)))
    assert [(row.month, row.received, row.erased, row.handed_over) for row in figures.monthly] == [
        (datetime.date(2025, 1, 1), 4, 2, 1),
        (datetime.date(2025, 2, 1), 1, 1, 0),
        (datetime.date(2025, 3, 1), 0, 0, 1),
    ]


def test_monthly_figures_cover_the_last_twelve_months_without_a_range(
    known, donor, technician, coach
):
    programme.add_devices(donor, technician, coach, 2)
    this_month = timezone.localdate().replace(day=1)
    figures = reports.dashboard_figures()
    # The fixture's months (2025) are more than a year back: only this month's devices show.
    assert [(row.month, row.received, row.erased, row.handed_over) for row in figures.monthly] == [
        (this_month, 2, 2, 1)
    ]
    window = reports.month_window(ReportFilter())
    assert (len(window), window[-2]) == (13, this_month)  # twelve months and the end bound
    long_range = ReportFilter(
        date_from=datetime.date(2015, 1, 1), date_to=datetime.date(2025, 6, 1)
    )
    assert reports.month_window(long_range)[0] == datetime.date(2020, 7, 1)  # at most 60 months


# Municipalities by their codes in the classification (rows are keyed by code).
HAMEENLINNA, TAMPERE = "109", "837"


def test_handovers_by_municipality_and_service(known):
    figures = reports.dashboard_figures()
    assert counts(figures.by_municipality) == {HAMEENLINNA: 1, TAMPERE: 1}
    assert [row.label for row in figures.by_municipality] == ["Hämeenlinna", "Tampere"]
    assert counts(figures.by_service) == {"employment": 1, "social": 1, "other": 0}


def test_per_donor_totals(known, donor, other_donor):
    figures = reports.dashboard_figures()
    assert [
        (row.name, row.received, row.erased, row.handed_over, row.disposed)
        for row in figures.donors
    ] == [
        (donor.name, 4, 3, 2, 1),
        (other_donor.name, 1, 0, 0, 0),
    ]


def test_median_days_from_intake_to_handover(known):
    figures = reports.dashboard_figures()
    # 11 days (gift) and 52 days (loan): the median of two is their mean.
    assert (figures.median_days, figures.median_sample) == (31.5, 2)


def test_erasure_failure_rate(known):
    figures = reports.dashboard_figures()
    assert (figures.erasure_attempts, figures.erasure_failures) == (4, 1)
    assert figures.erasure_failure_rate == 25.0


def test_clients_per_stage_and_waiting_list(known):
    figures = reports.dashboard_figures()
    assert counts(figures.client_stages) == {
        "not_eligible": 1,
        "waiting": 2,
        "reserved": 1,
        "served": 1,
        "closed": 1,
    }
    assert figures.waiting_list == 2


def test_municipality_filter(known):
    figures = reports.dashboard_figures(ReportFilter(municipality=TAMPERE))
    assert counts(figures.by_municipality) == {TAMPERE: 1}
    assert (figures.median_days, figures.median_sample) == (52.0, 1)
    assert counts(figures.client_stages) == {
        "not_eligible": 0,
        "waiting": 1,
        "reserved": 1,
        "served": 0,
        "closed": 0,
    }
    # Devices have no municipality: the device figures stay programme-wide.
    assert figures.devices_total == 5


def test_date_range_filter(known, donor, other_donor):
    february = ReportFilter(date_from=datetime.date(2025, 2, 1), date_to=datetime.date(2025, 2, 28))
    figures = reports.dashboard_figures(february)
    assert [(row.month, row.received, row.erased, row.handed_over) for row in figures.monthly] == [
        (datetime.date(2025, 2, 1), 1, 1, 0)
    ]
    assert (figures.erasure_attempts, figures.erasure_failures) == (1, 0)
    assert figures.erasure_failure_rate == 0.0
    assert counts(figures.status_counts)["received"] == 1
    assert figures.devices_total == 1
    assert figures.median_days is None
    assert [(row.name, row.received, row.erased, row.disposed) for row in figures.donors] == [
        (donor.name, 0, 1, 1),
        (other_donor.name, 1, 0, 0),
    ]


def test_dashboard_page_shows_figures_and_charts(known, coordinator_client):
    response = coordinator_client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") == 5
    # Finnish decimals, and the whole figure: "25.0 %" or "125,0 %" would be wrong.
    assert "<dd>25,0 % (1)</dd>" in html
    assert "Hämeenlinna" in html and "Tampere" in html
    assert "<dd>31,5 päivää (2 luovutusta)</dd>" in html
    assert 'style="' not in html


def test_dashboard_page_filters_by_query(known, coordinator_client):
    response = coordinator_client.get(
        reverse("reports:dashboard"), {"municipality": TAMPERE, "date_from": "2025-03-01"}
    )
    assert response.status_code == 200
    assert response.context["figures"].by_municipality[0].label == "Tampere"
    assert response.context["figures"].median_days == 52.0


def test_dashboard_refuses_reversed_dates(coordinator_client):
    response = coordinator_client.get(
        reverse("reports:dashboard"), {"date_from": "2025-03-01", "date_to": "2025-02-01"}
    )
    assert response.status_code == 200
    assert "Alkupäivä on loppupäivän jälkeen." in response.content.decode()


@pytest.mark.parametrize(
    "name",
    ["reports:dashboard", "reports:figures_csv", "reports:devices_csv", "reports:handovers_csv"],
)
@pytest.mark.parametrize("user", ["technician", "coach", "donor_user"])
def test_only_coordinators_see_reports(client, request, name, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get(reverse(name)).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def _dashboard_queries(client):
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    return len(context.captured_queries)


def test_dashboard_query_count_does_not_grow_with_devices(
    known, coordinator_client, donor, technician, coach
):
    few = _dashboard_queries(coordinator_client)
    programme.add_devices(donor, technician, coach, 35)
    many = _dashboard_queries(coordinator_client)
    assert few == many
    # Constant whatever the data; the top donors are read off the ranking index.
    assert many <= 23


def test_nav_and_start_page_link_reports_for_coordinators(known, coordinator_client, coach):
    html = coordinator_client.get(reverse("home")).content.decode()
    assert reverse("reports:dashboard") in html
    assert "Jonossa laitetta odottaa" in html
    coordinator_client.force_login(coach)
    assert (
        reverse("reports:dashboard") not in coordinator_client.get(reverse("home")).content.decode()
    )


def test_donor_start_page_links_own_yearly_reports(donor_client, donor, other_donor):
    html = donor_client.get(reverse("home")).content.decode()
    assert reverse("reports:donor_report", kwargs={"pk": donor.pk}) in html
    assert reverse("reports:donor_report", kwargs={"pk": other_donor.pk}) not in html


def test_filter_form_keeps_iso_dates_for_the_date_inputs(coordinator_client):
    response = coordinator_client.get(reverse("reports:dashboard"), {"date_from": "2025-02-01"})
    assert 'type="date" name="date_from" value="2025-02-01"' in response.content.decode()
