"""The donor's yearly report (PDF), in the donor's own language, and the funder report."""

from django.utils import timezone, translation

from clients.municipality_models import Municipality
from kierratys.pdf import render_pdf
from reports import charts
from reports import selectors as reports

DONOR_REPORT_TEMPLATE = "reports/donor_report_pdf.html"
FUNDER_REPORT_TEMPLATE = "reports/funder_report_pdf.html"


def donor_report_pdf(report):
    """The PDF of a `selectors.DonorReport`, printed in the donor's language."""
    with translation.override(report.donor.language):
        return render_pdf(
            DONOR_REPORT_TEMPLATE, {"report": report, "generated_on": timezone.localdate()}
        )


def funder_report_pdf(filters, *, language):
    """The dashboard's figures, charts and impact for `filters` as a printable PDF in `language`."""
    with translation.override(language):
        figures = reports.dashboard_figures(filters)
        context = {
            "figures": figures,
            "impact": reports.impact_figures(filters),
            "filters": filters,
            "municipality": _municipality_name(filters.municipality),
            "generated_on": timezone.localdate(),
            **charts.dashboard_charts(figures),
        }
        return render_pdf(FUNDER_REPORT_TEMPLATE, context)


def _municipality_name(value):
    """The filter's municipality (its code) by name in the active language; "" for all."""
    if not value:
        return ""
    if isinstance(value, Municipality):
        return value.name
    municipality = Municipality.objects.filter(pk=value).first()
    return municipality.name if municipality else str(value)
