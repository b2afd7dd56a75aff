"""A donor's yearly figures: what its devices became, for the donor's yearly report."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
)

from devices.models import Device, Donor
from reports.selectors.dashboard import DonorRow, Row, disposal_counts, donor_totals
from reports.selectors.filters import ReportFilter
from reports.selectors.impact import IMPACT_METHOD, Impact, impact_total


@dataclass
class DonorReport:
    donor: Donor
    year: int
    totals: DonorRow
    disposals: list
    categories: list
    batches: list
    impact: Impact | None = None
    impact_method: str = IMPACT_METHOD


def donor_year_report(donor, year):
    """What happened in `year` to the devices a donor gave, and what reusing them avoided."""
    filters = ReportFilter(date_from=datetime.date(year, 1, 1), date_to=datetime.date(year, 12, 31))
    rows = donor_totals(filters, donor=donor)
    totals = rows[0] if rows else DonorRow(donor.pk, donor.name, 0, 0, 0, 0)
    category_counts = dict(
        Device.objects.filter(filters.in_range("logged_at"), batch__donor=donor)
        .order_by()
        .values_list("category")
        .annotate(n=Count("pk"))
    )
    categories = [
        Row(category.value, category.label, category_counts[category.value])
        for category in Device.Category
        if category_counts.get(category.value)
    ]
    batches = list(
        donor.batches.filter(filters.in_range("registered_at"))
        # A cancelled batch (cancelled_at set) never came: it is not in the donor's report.
        .filter(cancelled_at__isnull=True)
        .annotate(device_count=Count("devices"))
        .order_by("registered_at")
    )
    return DonorReport(
        donor=donor,
        year=year,
        totals=totals,
        disposals=disposal_counts(filters, donor=donor),
        categories=categories,
        batches=batches,
        impact=impact_total(filters, donor=donor),
    )
