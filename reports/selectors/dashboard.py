"""Programme figures for the coordinators' dashboard, its CSV export and donor reports.

Every figure is one aggregate query, so the number of queries stays the same
however many devices, erasures or handovers the programme has.

Filters: a date range narrows events (intake, erasure, handover, disposal) to
the days given; the lifecycle-state snapshot counts the devices taken in during
the range. The monthly figures cover the months of the range, or without a start
day the twelve months up to its end (today without one). A municipality narrows
what has one: clients and handovers (and the median, which is measured per
handover). Devices have no municipality, so the
device-only figures stay programme-wide."""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Q,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients import selectors
from clients.models import Client, Handover, Municipality
from clients.municipalities import collation_key
from clients.municipality_models import MUNICIPALITY_TO_CHECK
from devices.models import Device, Erasure
from reports.selectors.filters import ReportFilter, month_window, start_of


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

    @property
    def erasure_failure_rate(self):
        """Failed attempts per attempt, as a percentage with one decimal (None without any)."""
        if not self.erasure_attempts:
            return None
        return round(100 * self.erasure_failures / self.erasure_attempts, 1)

    @property
    def top_donors(self):
        """The donors who gave the most devices in the range, most first (the dashboard's table)."""
        return sorted(self.donors, key=lambda row: (-row.received, row.name))[:DONORS_SHOWN]

    @property
    def devices_total(self):
        return sum(row.count for row in self.status_counts)

    @property
    def handovers_total(self):
        return sum(row.count for row in self.by_service)

    @property
    def clients_total(self):
        return sum(row.count for row in self.client_stages)


def dashboard_figures(filters=None):
    """Every dashboard figure for the filters, in a constant number of queries."""
    filters = filters or ReportFilter()
    figures = Figures(filters=filters)
    figures.status_counts = device_status_counts(filters)
    figures.monthly = monthly_counts(filters)
    figures.by_municipality, figures.by_service = handovers_by_municipality_and_service(filters)
    figures.donors = donor_totals(filters)
    figures.median_days, figures.median_sample = median_days_to_handover(filters)
    figures.erasure_attempts, figures.erasure_failures = erasure_attempts(filters)
    figures.client_stages = client_stage_counts(filters)
    figures.waiting_list = next(
        (row.count for row in figures.client_stages if row.key == Stage.WAITING), 0
    )
    return figures


def device_status_counts(filters):
    """Devices taken in during the range, by their lifecycle state now (one query)."""
    counts = dict(
        Device.objects.filter(filters.in_range("logged_at"))
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
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
    """Devices received, erasures passed and handovers made per calendar month (three queries).

    Each month is a range of the raw datetime column (an index range, no per-row
    month truncation), counted with conditional counts within the charted window.
    Months without any of the three are left out.
    """
    days = month_window(filters)
    bounds = [start_of(day) for day in days]
    months = {day: MonthRow(month=day) for day in days[:-1]}

    def add(queryset, field_name, attribute):
        counts = queryset.filter(
            **{f"{field_name}__gte": bounds[0], f"{field_name}__lt": bounds[-1]}
        ).aggregate(
            **{
                f"m{i}": Count(
                    "pk",
                    filter=Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end}),
                )
                for i, (start, end) in enumerate(zip(bounds, bounds[1:], strict=False))
            }
        )
        for i, day in enumerate(days[:-1]):
            setattr(months[day], attribute, counts[f"m{i}"] or 0)

    add(Device.objects.filter(filters.in_range("logged_at")), "logged_at", "received")
    add(
        Erasure.objects.filter(filters.in_range("ended_at"), result=Erasure.Result.PASSED),
        "ended_at",
        "erased",
    )
    add(handed_over_handovers(filters), "handed_over_at", "handed_over")
    return [row for row in months.values() if row.received or row.erased or row.handed_over]


def handovers_by_municipality_and_service(filters):
    """Handovers per municipality and per service of the client (one query).

    A municipality's row is keyed by its code and labelled with its name in the
    active language, so a client entered in Finnish and one in Swedish count
    together; clients whose municipality is still to be checked form one row.
    """
    rows = list(
        handed_over_handovers(filters)
        .order_by()
        .values_list(
            "client__municipality",
            "client__municipality__name_fi",
            "client__municipality__name_sv",
            "client__service",
        )
        .annotate(n=Count("pk"))
    )
    by_municipality, labels, by_service = {}, {}, {}
    for code, name_fi, name_sv, service, n in rows:
        key = code or ""
        by_municipality[key] = by_municipality.get(key, 0) + n
        labels[key] = (
            Municipality(code=code, name_fi=name_fi, name_sv=name_sv).name
            if code
            else str(MUNICIPALITY_TO_CHECK)
        )
        by_service[service] = by_service.get(service, 0) + n
    municipality_rows = sorted(
        (Row(key, labels[key], n) for key, n in by_municipality.items()),
        key=lambda row: (-row.count, collation_key(row.label)),
    )
    service_rows = [
        Row(service.value, service.label, by_service.get(service.value, 0))
        for service in Client.Service
    ]
    return municipality_rows, service_rows


def donor_totals(filters, donor=None):
    """Per donor: devices received, erased, handed over and disposed in the range (one query).

    A device counts once per column however many attempts or handovers it had:
    "erased" and "handed over" test the device's key against the set of devices
    with a passed erasure (a handover) in the range, an uncorrelated subquery the
    database builds once (PostgreSQL hashes it), never one probe per device.
    """
    erased_devices = Erasure.objects.order_by().filter(
        filters.in_range("ended_at"), result=Erasure.Result.PASSED
    )
    handed_devices = handed_over_handovers(filters).order_by()
    devices = Device.objects.all()
    if donor is not None:
        devices = devices.filter(batch__donor=donor)
        erased_devices = erased_devices.filter(device__batch__donor=donor)
        handed_devices = handed_devices.filter(device__batch__donor=donor)
    rows = (
        devices.order_by()
        .values_list("batch__donor_id", "batch__donor__name")
        .annotate(
            received=Count("pk", filter=filters.in_range("logged_at")),
            erased=Count("pk", filter=Q(pk__in=erased_devices.values("device_id"))),
            handed_over=Count("pk", filter=Q(pk__in=handed_devices.values("device_id"))),
            disposed=Count(
                "pk",
                filter=Q(filters.in_range("status_changed_at"), status=Device.Status.DISPOSED),
            ),
        )
    )
    result = [DonorRow(*row) for row in rows]
    return sorted(
        (row for row in result if row.received or row.erased or row.handed_over or row.disposed),
        key=lambda row: row.name,
    )


class _Median(Aggregate):
    """PostgreSQL's ordered-set median; interpolates between the two middle values."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


class _JulianDay(Func):
    """SQLite's julianday(): a datetime as fractional days, computed in C."""

    function = "julianday"
    output_field = FloatField()


def median_days_to_handover(filters):
    """Median days from intake (Device.logged_at) to handover, and how many handovers (one query).

    PostgreSQL computes it with percentile_cont; elsewhere the durations (in days,
    as floats from julianday(), no per-row Python conversion) come back sorted as
    the values of one query and the middle is taken here, so the query count
    stays constant either way.
    """
    handovers = handed_over_handovers(filters).order_by()
    if connection.vendor == "postgresql":
        duration = ExpressionWrapper(
            F("handed_over_at") - F("device__logged_at"), output_field=DurationField()
        )
        result = handovers.aggregate(median=_Median(duration), n=Count("pk"))
        if result["median"] is None:
            return None, result["n"]
        return round(result["median"].total_seconds() / 86400, 1), result["n"]
    days = _JulianDay("handed_over_at") - _JulianDay("device__logged_at")
    durations = list(handovers.annotate(days=days).order_by("days").values_list("days", flat=True))
    n = len(durations)
    if not n:
        return None, 0
    middle = n // 2
    median = durations[middle] if n % 2 else (durations[middle - 1] + durations[middle]) / 2
    return round(median, 1), n


def erasure_attempts(filters):
    """Erasure attempts ended in the range and how many of them failed (one query)."""
    result = Erasure.objects.filter(filters.in_range("ended_at")).aggregate(
        attempts=Count("pk"), failed=Count("pk", filter=Q(result=Erasure.Result.FAILED))
    )
    return result["attempts"], result["failed"]


def client_stage_counts(filters):
    """Clients now in each stage of the programme; eligibility is clients.selectors' rule.

    One aggregate: "has an open handover" is a key test against the set of clients
    with one (built once, hashed by PostgreSQL), and the eligibility rule is tested
    only for clients in coaching without one; "not eligible" is the rest of coaching.
    """
    clients = Client.objects.filter(filters.in_municipality("")).order_by()
    coaching = Q(status=Client.Status.COACHING)
    open_handover = Q(
        pk__in=Handover.objects.order_by()
        .filter(status__in=Handover.OPEN_STATUSES)
        .values("client_id")
    )
    counts = clients.aggregate(
        coaching=Count("pk", filter=coaching),
        reserved=Count("pk", filter=coaching & open_handover),
        waiting=Count("pk", filter=coaching & ~open_handover & selectors.eligible_condition()),
        served=Count("pk", filter=Q(status=Client.Status.SERVED)),
        closed=Count("pk", filter=Q(status=Client.Status.CLOSED)),
    )
    counts[Stage.NOT_ELIGIBLE] = counts["coaching"] - counts["reserved"] - counts["waiting"]
    return [Row(key, Stage.LABELS[key], counts[key]) for key in Stage.ORDER]


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
    """A few figures for the coordinator's start page (three queries)."""
    today = timezone.localdate()
    in_stock = Device.objects.filter(
        status__in=[Device.Status.RECEIVED, Device.Status.ERASED, Device.Status.READY]
    ).count()
    year = ReportFilter(date_from=today.replace(month=1, day=1), date_to=today)
    return Headline(
        in_stock=in_stock,
        handed_over_this_year=handed_over_handovers(year).count(),
        waiting_list=selectors.waiting_list().count(),
    )
