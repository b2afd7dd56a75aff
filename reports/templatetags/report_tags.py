"""Report figures and links for the start pages; the report tables' rows (reports.tables)."""

from django import template
from django.utils import timezone

from devices.selectors import donors_represented_by
from reports import selectors as reports
from reports import tables

register = template.Library()
for _name in ("status_rows", "count_rows", "municipality_rows", "service_rows", "monthly_rows"):
    register.filter(_name, getattr(tables, _name), is_safe=True)
register.filter("impact_rows", tables.impact_rows, is_safe=True)
register.filter("donor_rows", tables.donor_rows, is_safe=True)


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
