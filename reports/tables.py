"""The table rows of the dashboard and the funder report, built as strings.

A template loop costs some tens of microseconds a cell, and the dashboard has a few
hundred cells: built here they cost a tenth of that. The tables' headings, captions and
regions stay in the templates; these give the <tr> rows of a <tbody>, every value
escaped, numbers localised as the template would ({{ n }}, |floatformat:1). The template
filters in reports.templatetags.report_tags apply them."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.formats import date_format, get_format, localize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

NUM = '<td class="num">'
TENTH = Decimal("0.1")


def _number(value):
    # localize() of an int is str() unless thousands are grouped, at a tenth of the cost.
    text = localize(value) if settings.USE_THOUSAND_SEPARATOR else str(value)
    return f"{NUM}{escape(text)}</td>"


def _decimal(value, separator):
    """One decimal rounded half up, as |floatformat:1 shows it (separator: the language's)."""
    if settings.USE_THOUSAND_SEPARATOR:
        return f"{NUM}{escape(localize(Decimal(value).quantize(TENTH, ROUND_HALF_UP)))}</td>"
    return f"{NUM}{str(Decimal(value).quantize(TENTH, ROUND_HALF_UP)).replace('.', separator)}</td>"


def _rows(cells, empty=None, columns=2):
    """<tr> per row from an iterable of cell strings; `empty`: the one row when none."""
    html = "".join(f"<tr>{cell}</tr>" for cell in cells)
    if not html and empty:
        html = f'<tr><td colspan="{columns}" class="muted">{escape(empty)}</td></tr>'
    return mark_safe(html)  # noqa: S308 -- every value above is escaped


def status_rows(rows):
    """Devices per lifecycle state: the state as its badge, the count."""
    return _rows(
        f'<td><span class="badge {escape(row.key)}">{escape(row.label)}</span></td>'
        f"{_number(row.count)}"
        for row in rows
    )


def count_rows(rows, empty=None):
    """A label and a count per row (stages, municipalities); `empty`: shown when none."""
    return _rows((f"<td>{escape(row.label)}</td>{_number(row.count)}" for row in rows), empty)


def municipality_rows(rows):
    return count_rows(rows, empty=_("Ei luovutuksia."))


def service_rows(rows):
    """Handovers per service; the services' labels are lower case in running text."""
    return _rows(f"<td>{escape(capfirst(row.label))}</td>{_number(row.count)}" for row in rows)


def monthly_rows(rows):
    return _rows(
        f"<td>{escape(date_format(row.month, 'YEAR_MONTH_FORMAT'))}</td>{_number(row.received)}"
        f"{_number(row.erased)}{_number(row.handed_over)}"
        for row in rows
    )


def impact_rows(rows):
    """Devices reused, e-waste and emissions avoided per municipality or donor."""
    separator = get_format("DECIMAL_SEPARATOR")
    return _rows(
        (
            f"<td>{escape(row.label)}</td>{_number(row.devices)}"
            f"{_decimal(row.ewaste_kg, separator)}{_decimal(row.co2e_kg, separator)}"
            for row in rows
        ),
        empty=_("Ei luovutuksia."),
        columns=4,
    )


def donor_rows(rows, report_year):
    """The dashboard's top donors with a link to each one's yearly report.

    rows: (DonorRow, the donor report's address) pairs (reports.views)."""
    link_text = escape(_("PDF %(year)s") % {"year": report_year})
    return _rows(
        (
            f"<td>{escape(row.name)}</td>{_number(row.received)}{_number(row.erased)}"
            f"{_number(row.handed_over)}{_number(row.disposed)}"
            f'<td><a href="{escape(url)}?year={escape(report_year)}">{link_text}</a></td>'
            for row, url in rows
        ),
        empty=_("Ei lahjoitettuja laitteita valitulla ajalla."),
        columns=6,
    )
