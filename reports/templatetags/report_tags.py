"""Report figures and links for the start pages."""

from django import template
from django.utils import timezone

from devices.selectors import donors_represented_by
from reports import selectors as reports

register = template.Library()


@register.simple_tag
def report_headline():
    """A few programme figures for the coordinator's start page (three queries)."""
    return reports.headline_figures()


@register.simple_tag(takes_context=True)
def donor_report_links(context):
    """(donor, year) pairs for the user's organisations: this year and last year."""
    user = context["request"].user
    year = timezone.localdate().year
    return [
        (donor, report_year)
        for donor in donors_represented_by(user).order_by("name")
        for report_year in (year, year - 1)
    ]
