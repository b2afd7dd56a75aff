"""Coordinators' dashboard, CSV exports of figures and lists, the funder report (PDF) and the
donor's yearly report."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from clients.models import Handover
from clients.municipality_models import label_for_municipality
from devices import selectors as device_selectors
from devices.models import Device, Donor
from kierratys import roles
from kierratys.csv_export import csv_response
from kierratys.listing import link_maker
from kierratys.pdf import pdf_response
from reports import charts, dashboard_cache
from reports import selectors as reports
from reports.documents import donor_report_pdf, funder_report_pdf
from reports.forms import ReportFilterForm

DONOR_MARKER = 2**31 - 1  # a valid <int:pk> whose digits appear nowhere else in the address


def _filters(request):
    form = ReportFilterForm(request.GET or None, municipalities=reports.municipalities())
    return form, form.report_filter()


@roles.role_required(roles.COORDINATOR)
def dashboard(request):
    """Programme figures as charts and tables, filtered by date range and municipality."""
    form, filters = _filters(request)
    figures, impact, chart_markup = dashboard_cache.kept(filters, lambda: _dashboard(filters))
    context = {
        "form": form,
        "figures": figures,
        "impact": impact,
        "query": request.GET.urlencode(),
        "report_year": (filters.date_to or timezone.localdate()).year,
        "funder_languages": settings.LANGUAGES,
        "donor_links": _with_report_links(figures.top_donors),
        **chart_markup,
    }
    return render(request, "reports/dashboard.html", context)


def _dashboard(filters):
    """The page's figures, impact and charts: the top donors only, not every donor's sums;
    over all time the small figures' counters read at once (selectors.totals)."""
    totals = reports.all_time_totals(filters)
    figures = reports.dashboard_figures(filters, every_donor=False, totals=totals)
    impact = reports.impact_figures(filters, every_donor=False, totals=totals)
    return figures, impact, charts.dashboard_charts(figures)


def _with_report_links(rows):
    """(row, its donor report's address) for the donor table: reversed once, not per row."""
    link = link_maker("reports:donor_report", "pk", marker=DONOR_MARKER)
    return [(row, link(row.donor_id)) for row in rows]


@roles.role_required(roles.COORDINATOR)
def funder_report(request):
    """The dashboard's figures and charts for its filters as a PDF, in ?lang= (fi, sv, en)."""
    _form, filters = _filters(request)
    language = request.GET.get("lang", "")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    pdf = funder_report_pdf(filters, language=language)
    return pdf_response(pdf, f"rahoittajaraportti-{language}.pdf")


@roles.role_required(roles.COORDINATOR)
def figures_csv(request):
    """The dashboard's figures as one long table: figure; item; value."""
    _form, filters = _filters(request)
    figures = reports.dashboard_figures(filters)
    rows = []
    rows += [(_("Laitteet tiloittain"), row.label, row.count) for row in figures.status_counts]
    for row in figures.monthly:
        month = date_format(row.month, "YEAR_MONTH_FORMAT")
        rows.append((_("Vastaanotettu kuukaudessa"), month, row.received))
        rows.append((_("Tyhjennetty kuukaudessa"), month, row.erased))
        rows.append((_("Luovutettu kuukaudessa"), month, row.handed_over))
    rows += [(_("Luovutukset kunnittain"), row.label, row.count) for row in figures.by_municipality]
    rows += [(_("Luovutukset palveluittain"), row.label, row.count) for row in figures.by_service]
    for row in figures.donors:
        rows.append((_("Lahjoittaja: vastaanotettu"), row.name, row.received))
        rows.append((_("Lahjoittaja: tyhjennetty"), row.name, row.erased))
        rows.append((_("Lahjoittaja: luovutettu"), row.name, row.handed_over))
        rows.append((_("Lahjoittaja: poistettu"), row.name, row.disposed))
    rows.append((_("Mediaani, päivää vastaanotosta luovutukseen"), "", figures.median_days))
    rows.append((_("Tyhjennysyritykset"), "", figures.erasure_attempts))
    rows.append((_("Epäonnistuneet tyhjennykset"), "", figures.erasure_failures))
    rows.append((_("Tyhjennysten epäonnistumisosuus (%)"), "", figures.erasure_failure_rate))
    rows += [(_("Asiakkaat vaiheittain"), row.label, row.count) for row in figures.client_stages]
    rows.append((_("Jonossa laitetta odottavat"), "", figures.waiting_list))
    header = (_("Luku"), _("Kohde"), _("Arvo"))
    return csv_response(_csv_name("luvut", filters), header, rows)


@roles.role_required(roles.COORDINATOR)
def devices_csv(request):
    """Every device (taken in during the date range), one row each, streamed."""
    _form, filters = _filters(request)
    devices = (
        Device.objects.filter(filters.in_range("logged_at"))
        .select_related("batch__donor")
        .order_by("logged_at", "pk")
    )
    header = (
        _("Inventaariokoodi"),
        _("Tila"),
        _("Laji"),
        _("Valmistaja"),
        _("Malli"),
        _("Sarjanumero"),
        _("IMEI"),
        _("Kuntoluokka"),
        _("Erä"),
        _("Lahjoittaja"),
        _("Kirjattu"),
        _("Tila muuttui"),
        _("Poiston syy"),
    )
    rows = (
        (
            device.inventory_code,
            device.get_status_display(),
            device.get_category_display(),
            device.manufacturer,
            device.model,
            device.serial_number,
            device.imei,
            device.condition_grade,
            device.batch.reference,
            device.batch.donor.name,
            device.logged_at,
            device.status_changed_at,
            device.get_disposal_reason_display(),
        )
        for device in devices.iterator(chunk_size=2000)
    )
    return csv_response(_csv_name("laitteet", filters), header, rows)


@roles.role_required(roles.COORDINATOR)
def handovers_csv(request):
    """Every handover (reserved during the date range), with client code only, streamed."""
    _form, filters = _filters(request)
    handovers = (
        Handover.objects.filter(
            filters.in_range("reserved_at"), filters.in_municipality("client__")
        )
        .select_related("device", "client", "client__municipality")
        .order_by("reserved_at", "pk")
    )
    header = (
        _("Kuitin numero"),
        _("Laite"),
        _("Laji"),
        _("Asiakastunnus"),
        _("Kunta"),
        _("Palvelu"),
        _("Luovutustapa"),
        _("Tila"),
        _("Varattu"),
        _("Luovutettu"),
        _("Palautettava viimeistään"),
        _("Palautettu"),
    )
    # Pseudonymous client code only: a figures file may travel to funders.
    rows = (
        (
            handover.receipt_number,
            handover.device.inventory_code,
            handover.device.get_category_display(),
            handover.client.code,
            # The name in the export's language ("tarkista kunta" if still to be chosen).
            str(label_for_municipality(handover.client.municipality)),
            handover.client.get_service_display(),
            handover.get_kind_display(),
            handover.get_status_display(),
            handover.reserved_at,
            handover.handed_over_at,
            handover.due_date,
            handover.returned_on,
        )
        for handover in handovers.iterator(chunk_size=2000)
    )
    return csv_response(_csv_name("luovutukset", filters), header, rows)


def _csv_name(stem, filters):
    parts = [stem]
    if filters.date_from:
        parts.append(filters.date_from.isoformat())
    if filters.date_to:
        parts.append(filters.date_to.isoformat())
    return "-".join(parts) + ".csv"


def _report_year(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@roles.role_required(*roles.ROLES)
def donor_report(request, pk):
    """A donor's yearly report (PDF): coordinators, and the donor's own users; others 404."""
    donor = get_object_or_404(Donor, pk=pk)
    user = request.user
    own = device_selectors.donors_represented_by(user).filter(pk=donor.pk).exists()
    if not (roles.is_coordinator(user) or own):
        raise Http404
    report = reports.donor_year_report(donor, _report_year(request))
    return pdf_response(donor_report_pdf(report), f"lahjoitusraportti-{report.year}-{donor.pk}.pdf")
