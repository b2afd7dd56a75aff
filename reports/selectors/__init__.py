"""Programme figures, one module per kind of report; imported here so that callers write
`from reports import selectors` and need not know which part holds a figure."""

from reports.selectors.dashboard import (
    DONORS_SHOWN,
    DonorRow,
    Figures,
    Headline,
    MonthRow,
    Row,
    Stage,
    client_stage_counts,
    dashboard_figures,
    device_status_counts,
    disposal_counts,
    donor_totals,
    erasure_attempts,
    handed_over_handovers,
    handovers_by_municipality_and_service,
    headline_figures,
    median_days_to_handover,
    monthly_counts,
)
from reports.selectors.donors import DonorReport, donor_year_report
from reports.selectors.filters import (
    MONTHS_DEFAULT,
    MONTHS_MAX,
    ReportFilter,
    month_window,
    municipalities,
)

__all__ = [
    "DONORS_SHOWN",
    "MONTHS_DEFAULT",
    "MONTHS_MAX",
    "DonorReport",
    "DonorRow",
    "Figures",
    "Headline",
    "MonthRow",
    "ReportFilter",
    "Row",
    "Stage",
    "client_stage_counts",
    "dashboard_figures",
    "device_status_counts",
    "disposal_counts",
    "donor_totals",
    "donor_year_report",
    "erasure_attempts",
    "handed_over_handovers",
    "handovers_by_municipality_and_service",
    "headline_figures",
    "median_days_to_handover",
    "month_window",
    "monthly_counts",
    "municipalities",
]
