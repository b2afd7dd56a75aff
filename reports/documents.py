"""The donor's yearly report (PDF), in the donor's own language."""

from django.utils import timezone, translation

from kierratys.pdf import render_pdf

DONOR_REPORT_TEMPLATE = "reports/donor_report_pdf.html"


def donor_report_pdf(report):
    """The PDF of a `selectors.DonorReport`, printed in the donor's language."""
    with translation.override(report.donor.language):
        return render_pdf(
            DONOR_REPORT_TEMPLATE, {"report": report, "generated_on": timezone.localdate()}
        )
