"""Programme figures for the coordinators' dashboard, its CSV export and donor reports.

The figures are stored counters (kierratys.figures, FigureCount), kept by the services
in the same transaction as the change that moves them; each figure here sums the
counters of its filters, so a request costs the same however big the programme is:
- a date range is summed from month rows plus day rows of its partial first and last
  month, no range at all from the all-time rows (kierratys.figures.period_q), so the
  rows read grow with the months in the range, never with devices or handovers;
- "once per device" (donor erased / handed over, impact) counts a device's event when its
  previous event (the key's prior day) is before the range: FigureCount.prior;
- the median days from intake to handover comes from a histogram (handovers per whole
  number of days from the intake day to the handover day), the middle found here;
- device states and client stages are snapshots adjusted on every transition.
What each key holds: reports.figures_source. The live aggregates these replace are in
reports.selectors.live, the reference that tests/reports/test_figures_equal_live.py and
`manage.py check_figures` compare with.

Filters: a date range narrows events (intake, erasure, handover, disposal) to the days
given; the lifecycle-state snapshot counts the devices taken in during the range. The
monthly figures cover the months of the range, or without a start day the twelve months
up to its end (today without one). A municipality narrows what has one: clients and
handovers (and the median, which is measured per handover). Devices have no
municipality, so the device-only figures stay programme-wide. Disposal counts (the donor
report's, per donor) stay a live, index-backed aggregate of the donor's devices."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Client, Handover, Municipality
from clients.municipalities import collation_key
from clients.municipality_models import MUNICIPALITY_TO_CHECK
from devices.models import Device, Donor, Erasure
from kierratys.figure_models import NONE_DAY, FigureCount
from kierratys.figures import period_q, prior_before
from reports import figures_source as keys
from reports.selectors import ranking
from reports.selectors.filters import ReportFilter, month_window
from reports.selectors.median import histogram_median


class Stage:
    """Where a client is in the programme; together the stages cover every client."""

    NOT_ELIGIBLE = "not_eligible"
    WAITING = "waiting"
    RESERVED = "reserved"
    SERVED = "served"
    CLOSED = "closed"

    LABELS = {
        NOT_ELIGIBLE: _("valmennuksessa, ei vielä oikeutettu"),
        WAITING: _("oikeutettu, odottaa laitetta"),
        RESERVED: _("laite varattu tai lainassa"),
        SERVED: _("laite luovutettu"),
        CLOSED: _("päättynyt"),
    }
    ORDER = (NOT_ELIGIBLE, WAITING, RESERVED, SERVED, CLOSED)


@dataclass
class Row:
    key: str
    label: str
    count: int


@dataclass
class MonthRow:
    month: datetime.date
    received: int = 0
    erased: int = 0
    handed_over: int = 0


@dataclass
class DonorRow:
    donor_id: int
    name: str
    received: int
    erased: int
    handed_over: int
    disposed: int


DONORS_SHOWN = 20  # the dashboard's donor table; the figures CSV has every donor


@dataclass
class Figures:
    filters: ReportFilter
    status_counts: list = field(default_factory=list)
    monthly: list = field(default_factory=list)
    by_municipality: list = field(default_factory=list)
    by_service: list = field(default_factory=list)
    donors: list = field(default_factory=list)
    median_days: float | None = None
    median_sample: int = 0
    erasure_attempts: int = 0
    erasure_failures: int = 0
    client_stages: list = field(default_factory=list)
    waiting_list: int = 0
    # The donors who gave the most devices in the range, most first (the dashboard's
    # table), and how many donors have any figure in it.
    top_donors: list = field(default_factory=list)
    donor_count: int = 0

    @property
    def erasure_failure_rate(self):
        """Failed attempts per attempt, as a percentage with one decimal (None without any)."""
        if not self.erasure_attempts:
            return None
        return round(100 * self.erasure_failures / self.erasure_attempts, 1)

    @property
    def devices_total(self):
        return sum(row.count for row in self.status_counts)

    @property
    def handovers_total(self):
        return sum(row.count for row in self.by_service)

    @property
    def clients_total(self):
        return sum(row.count for row in self.client_stages)


def dashboard_figures(filters=None, *, every_donor=True, totals=None):
    """Every dashboard figure for the filters, in a constant number of queries.

    every_donor=False (the dashboard page): `donors` stays empty and only the top donors
    are read, off the ranking index when the filters allow (reports.selectors.ranking).
    totals: the all-time counters already read (reports.selectors.totals), or None."""
    filters = filters or ReportFilter()
    figures = Figures(filters=filters)
    figures.status_counts = device_status_counts(filters, totals)
    figures.monthly = monthly_counts(filters)
    figures.by_municipality, figures.by_service = handovers_by_municipality_and_service(
        filters, totals
    )
    if every_donor or not ranking.all_time(filters):
        figures.donors = donor_totals(filters)
        figures.top_donors, figures.donor_count = ranked_donors(figures.donors)
    else:
        figures.top_donors, figures.donor_count = top_donor_totals(filters)
    figures.median_days, figures.median_sample = median_days_to_handover(filters)
    figures.erasure_attempts, figures.erasure_failures = erasure_attempts(filters, totals)
    figures.client_stages = client_stage_counts(filters, totals)
    figures.waiting_list = next(
        (row.count for row in figures.client_stages if row.key == Stage.WAITING), 0
    )
    return figures


def counters(filters, *, date_from=None, date_to=None, ranged=True):
    """Counter rows of the filters' days (or the days given); ranged=False: all-time rows."""
    if not ranged:
        return FigureCount.objects.filter(grain=FigureCount.TOTAL).order_by()
    if date_from is None and date_to is None:
        date_from, date_to = filters.date_from, filters.date_to
    return FigureCount.objects.filter(period_q(date_from, date_to)).order_by()


def summed(queryset, *columns):
    """{column values: sum of value} over the rows (one query)."""
    rows = queryset.values_list(*columns).annotate(n=Sum("value"))
    return {row[:-1] if len(columns) > 1 else row[0]: row[-1] for row in rows}


def in_municipality(filters, metric, metric_m):
    """The metric's rows for the filters' municipality (metric_m, keyed by it) or all."""
    if filters.municipality:
        return Q(metric=metric_m, municipality=filters.municipality)
    return Q(metric=metric)


def device_status_counts(filters, totals=None):
    """Devices taken in during the range, by their lifecycle state now (one query)."""
    if totals:
        counts = totals.summed(keys.STATUS, "category")
    else:
        counts = summed(counters(filters).filter(metric=keys.STATUS), "category")
    return [
        Row(status.value, status.label, counts.get(status.value, 0)) for status in Device.Status
    ]


def handed_over_handovers(filters):
    """Handovers that reached the client in the range (gifts and loans, returned or not)."""
    return Handover.objects.filter(
        filters.in_range("handed_over_at"),
        filters.in_municipality("client__"),
        handed_over_at__isnull=False,
    )


def monthly_counts(filters):
    """Devices received, erasures passed and handovers made per calendar month (one query).

    The charted months (within the range) come from month rows, a partly covered first or
    last month from its day rows. Months without any of the three are left out."""
    days = month_window(filters)
    months = {day: MonthRow(month=day) for day in days[:-1]}
    start = max(days[0], filters.date_from or days[0])
    end = min(days[-1] - datetime.timedelta(days=1), filters.date_to or days[-1])
    # Received from the state rows (one per device and intake day, a handful of states),
    # not the per-donor ones: the rows read do not grow with the donors.
    metrics = (
        Q(metric=keys.STATUS)
        | Q(metric=keys.ERASURE, category=Erasure.Result.PASSED)
        | Q(metric=keys.HANDOVER, **in_municipality_key(filters))
    )
    attribute = {keys.STATUS: "received", keys.ERASURE: "erased", keys.HANDOVER: "handed_over"}
    rows = summed(counters(filters, date_from=start, date_to=end).filter(metrics), "metric", "day")
    for (metric, day), n in rows.items():
        row = months[day.replace(day=1)]
        setattr(row, attribute[metric], getattr(row, attribute[metric]) + n)
    return [row for row in months.values() if row.received or row.erased or row.handed_over]


def in_municipality_key(filters):
    """The municipality column's filter for the filters' municipality (none: every row)."""
    return {"municipality": filters.municipality} if filters.municipality else {}


def handovers_by_municipality_and_service(filters, totals=None):
    """Handovers per municipality and per service of the client (two queries).

    A municipality's row is keyed by its code and labelled with its name in the
    active language, so a client entered in Finnish and one in Swedish count
    together; clients whose municipality is still to be checked form one row.
    """
    if totals:
        rows = totals.summed(keys.HANDOVER, "municipality", "category")
    else:
        rows = summed(
            counters(filters).filter(metric=keys.HANDOVER, **in_municipality_key(filters)),
            "municipality",
            "category",
        )
    by_municipality, by_service = {}, {}
    for (code, service), n in rows.items():
        by_municipality[code] = by_municipality.get(code, 0) + n
        by_service[service] = by_service.get(service, 0) + n
    if totals:
        labels = totals.municipality_labels(municipality_labels)
    else:
        labels = municipality_labels(by_municipality)
    municipality_rows = sorted(
        (Row(key, labels[key], n) for key, n in by_municipality.items() if n),
        key=lambda row: (-row.count, collation_key(row.label)),
    )
    service_rows = [
        Row(service.value, service.label, by_service.get(service.value, 0))
        for service in Client.Service
    ]
    return municipality_rows, service_rows


def municipality_labels(codes):
    """code -> the municipality's name in the active language ("" -> to be checked)."""
    labels = {"": str(MUNICIPALITY_TO_CHECK)}
    named = [code for code in codes if code]
    if named:
        labels.update(
            (municipality.code, municipality.name)
            for municipality in Municipality.objects.filter(code__in=named)
        )
    return labels


def donor_names(ids):
    """donor id -> name (one query)."""
    return dict(Donor.objects.filter(pk__in=list(ids)).values_list("pk", "name"))


def ranked_donors(rows, limit=DONORS_SHOWN):
    """The `limit` rows of most devices received (then by name), and how many rows there are."""
    return sorted(rows, key=lambda row: (-row.received, row.name))[:limit], len(rows)


def top_donor_totals(filters, limit=DONORS_SHOWN):
    """ranked_donors(donor_totals(filters)) over all time, read for the top donors only
    (four queries however many donors): over all time every donor with a figure has
    received a device, so the ranking by `received` is the ranking index's, and every
    row counts (a device's first event has no prior day)."""
    metrics = (keys.RECEIVED, keys.ERASED_DEVICE, keys.HANDED, keys.DISPOSED)
    rows = counters(filters).filter(metric__in=metrics, prior=NONE_DAY)
    top = ranking.of_donors(rows, ranking.top_donor_ids(keys.RECEIVED, limit))
    found, _count = ranked_donors(_donor_rows(summed(top, "donor_id", "metric")), limit)
    return found, ranking.donors_with(keys.RECEIVED)


def donor_totals(filters, donor=None):
    """Per donor: devices received, erased, handed over and disposed in the range (two queries).

    A device counts once per column however many attempts or handovers it had: an
    event counts only when the device's previous one is before the range (prior)."""
    once = prior_before(filters.date_from)
    metrics = (
        Q(metric=keys.RECEIVED)
        | Q(metric=keys.DISPOSED)
        | (Q(metric=keys.ERASED_DEVICE) & once)
        | (in_municipality(filters, keys.HANDED, keys.HANDED_MD) & once)
    )
    rows = counters(filters).filter(metrics)
    if donor is not None:
        rows = rows.filter(donor_id=donor.pk)
    return _donor_rows(summed(rows, "donor_id", "metric"), donor)


def _donor_rows(sums, donor=None):
    """DonorRows of {(donor id, metric): sum}, by name; donors with nothing left out."""
    column = {
        keys.RECEIVED: 0,
        keys.ERASED_DEVICE: 1,
        keys.HANDED: 2,
        keys.HANDED_MD: 2,
        keys.DISPOSED: 3,
    }
    totals = {}
    for (donor_id, metric), n in sums.items():
        totals.setdefault(donor_id, [0, 0, 0, 0])[column[metric]] += n
    totals = {pk: values for pk, values in totals.items() if any(values)}
    names = donor_names(totals) if donor is None else {donor.pk: donor.name}
    return sorted(
        (DonorRow(pk, names.get(pk, ""), *values) for pk, values in totals.items()),
        key=lambda row: (row.name, row.donor_id),
    )


def median_of(values):
    """The middle of sorted values (the mean of the two middle ones), one decimal; None if none."""
    n = len(values)
    if not n:
        return None
    middle = n // 2
    median = values[middle] if n % 2 else (values[middle - 1] + values[middle]) / 2
    return round(median, 1)


def median_days_to_handover(filters):
    """Median whole days from the intake day to the handover day, and how many (one query).

    The stored histogram has one count per number of days; the database finds its middle."""
    return histogram_median(
        counters(filters)
        .filter(in_municipality(filters, keys.DAYS, keys.DAYS_M))
        .values_list("category")
        .annotate(n=Sum("value"))
    )


def erasure_attempts(filters, totals=None):
    """Erasure attempts ended in the range and how many of them failed (one query)."""
    if totals:
        counts = totals.summed(keys.ERASURE, "category")
    else:
        counts = summed(counters(filters).filter(metric=keys.ERASURE), "category")
    return sum(counts.values()), counts.get(Erasure.Result.FAILED, 0)


def client_stage_counts(filters, totals=None):
    """Clients now in each stage of the programme (one query, all-time snapshot rows).

    Eligibility is clients.selectors' rule, applied when the client's stage is stored."""
    if totals:
        counts = totals.summed(keys.STAGE, "category")
    else:
        counts = summed(
            counters(filters, ranged=False).filter(
                metric=keys.STAGE, **in_municipality_key(filters)
            ),
            "category",
        )
    return [Row(key, Stage.LABELS[key], counts.get(key, 0)) for key in Stage.ORDER]


def disposal_counts(filters, donor=None):
    """Devices disposed in the range, by how (one query)."""
    devices = Device.objects.filter(
        filters.in_range("status_changed_at"), status=Device.Status.DISPOSED
    )
    if donor is not None:
        devices = devices.filter(batch__donor=donor)
    counts = dict(devices.order_by().values_list("disposal_reason").annotate(n=Count("pk")))
    return [
        Row(reason.value, reason.label, counts.get(reason.value, 0))
        for reason in Device.DisposalReason
    ]


@dataclass
class Headline:
    in_stock: int
    handed_over_this_year: int
    waiting_list: int


def headline_figures():
    """A few figures for the coordinator's start page (two queries)."""
    today = timezone.localdate()
    in_stock = (Device.Status.RECEIVED, Device.Status.ERASED, Device.Status.READY)
    snapshot = summed(
        counters(None, ranged=False).filter(
            Q(metric=keys.STATUS, category__in=in_stock)
            | Q(metric=keys.STAGE, category=Stage.WAITING)
        ),
        "metric",
    )
    year = counters(None, date_from=today.replace(month=1, day=1), date_to=today)
    handed = year.filter(metric=keys.HANDOVER).aggregate(n=Sum("value"))["n"]
    return Headline(
        in_stock=snapshot.get(keys.STATUS, 0),
        handed_over_this_year=handed or 0,
        waiting_list=snapshot.get(keys.STAGE, 0),
    )
