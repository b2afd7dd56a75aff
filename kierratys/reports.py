"""Programme figures for the coordinators' dashboard, its CSV export and donor reports.

Every figure is one aggregate query, so the number of queries stays the same
however many devices, erasures or handovers the programme has.

Filters: a date range narrows events (intake, erasure, handover, disposal) to
the days given; the lifecycle-state snapshot counts the devices taken in during
the range. A municipality narrows what has one: clients and handovers (and the
median, which is measured per handover). Devices have no municipality, so the
device-only figures stay programme-wide.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients import selectors
from clients.models import Client, Handover
from devices.models import Device, Donor, Erasure


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


@dataclass(frozen=True)
class ReportFilter:
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    municipality: str = ""

    def bounds(self):
        """The range as aware datetimes [start, end) in the current time zone."""
        start = end = None
        if self.date_from:
            start = timezone.make_aware(datetime.datetime.combine(self.date_from, datetime.time()))
        if self.date_to:
            next_day = self.date_to + datetime.timedelta(days=1)
            end = timezone.make_aware(datetime.datetime.combine(next_day, datetime.time()))
        return start, end

    def in_range(self, field_name):
        """A Q limiting `field_name` (a datetime) to the range."""
        start, end = self.bounds()
        q = Q()
        if start:
            q &= Q(**{f"{field_name}__gte": start})
        if end:
            q &= Q(**{f"{field_name}__lt": end})
        return q

    def in_municipality(self, client_path):
        if not self.municipality:
            return Q()
        return Q(**{f"{client_path}municipality": self.municipality})


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
    figures.by_municipality = handovers_by_municipality(filters)
    figures.by_service = handovers_by_service(filters)
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
    """Devices received, erasures passed and handovers made per calendar month (three queries)."""
    months = {}

    def add(queryset, field_name, attribute):
        rows = (
            queryset.annotate(month=TruncMonth(field_name))
            .order_by()
            .values_list("month")
            .annotate(n=Count("pk"))
        )
        for month, n in rows:
            key = _month_key(month)
            row = months.setdefault(key, MonthRow(month=key))
            setattr(row, attribute, n)

    add(Device.objects.filter(filters.in_range("logged_at")), "logged_at", "received")
    add(
        Erasure.objects.filter(filters.in_range("ended_at"), result=Erasure.Result.PASSED),
        "ended_at",
        "erased",
    )
    add(handed_over_handovers(filters), "handed_over_at", "handed_over")
    return [months[key] for key in sorted(months)]


def _month_key(value):
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    return value.replace(day=1)


def handovers_by_municipality(filters):
    rows = (
        handed_over_handovers(filters)
        .order_by()
        .values_list("client__municipality")
        .annotate(n=Count("pk"))
    )
    return sorted((Row(name, name, n) for name, n in rows), key=lambda row: (-row.count, row.label))


def handovers_by_service(filters):
    counts = dict(
        handed_over_handovers(filters)
        .order_by()
        .values_list("client__service")
        .annotate(n=Count("pk"))
    )
    return [
        Row(service.value, service.label, counts.get(service.value, 0))
        for service in Client.Service
    ]


def donor_totals(filters, donor=None):
    """Per donor: devices received, erased, handed over and disposed in the range (one query).

    A device counts once per column however many attempts or handovers it had.
    """
    passed_erasure = Erasure.objects.filter(
        filters.in_range("ended_at"), device=OuterRef("pk"), result=Erasure.Result.PASSED
    )
    handed_over = handed_over_handovers(filters).filter(device=OuterRef("pk"))
    devices = Device.objects.all()
    if donor is not None:
        devices = devices.filter(batch__donor=donor)
    rows = (
        devices.order_by()
        .values_list("batch__donor_id", "batch__donor__name")
        .annotate(
            received=Count("pk", filter=filters.in_range("logged_at")),
            erased=Count("pk", filter=Q(Exists(passed_erasure))),
            handed_over=Count("pk", filter=Q(Exists(handed_over))),
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


def median_days_to_handover(filters):
    """Median days from intake (Device.logged_at) to handover, and how many handovers (one query).

    PostgreSQL computes it with percentile_cont; elsewhere the durations come
    back sorted as the values of one query and the middle is taken here, so the
    query count stays constant either way.
    """
    duration = ExpressionWrapper(
        F("handed_over_at") - F("device__logged_at"), output_field=DurationField()
    )
    handovers = handed_over_handovers(filters).order_by()
    if connection.vendor == "postgresql":
        result = handovers.aggregate(median=_Median(duration), n=Count("pk"))
        median, n = result["median"], result["n"]
    else:
        durations = list(
            handovers.annotate(duration=duration)
            .order_by("duration")
            .values_list("duration", flat=True)
        )
        n = len(durations)
        median = None
        if n:
            middle = n // 2
            median = durations[middle] if n % 2 else (durations[middle - 1] + durations[middle]) / 2
    if median is None:
        return None, n
    return round(median.total_seconds() / 86400, 1), n


def erasure_attempts(filters):
    """Erasure attempts ended in the range and how many of them failed (one query)."""
    result = Erasure.objects.filter(filters.in_range("ended_at")).aggregate(
        attempts=Count("pk"), failed=Count("pk", filter=Q(result=Erasure.Result.FAILED))
    )
    return result["attempts"], result["failed"]


def client_stage_counts(filters):
    """Clients now in each stage of the programme; eligibility is clients.selectors' rule."""
    clients = Client.objects.filter(filters.in_municipality(""))
    coaching = Q(status=Client.Status.COACHING)
    eligible = Q(eligible=True)  # the selectors' own rule: coaching, every required step done
    counts = selectors.with_progress(clients).aggregate(
        not_eligible=Count("pk", filter=coaching & Q(has_open_handover=False) & ~eligible),
        waiting=Count("pk", filter=coaching & Q(has_open_handover=False) & eligible),
        reserved=Count("pk", filter=coaching & Q(has_open_handover=True)),
        served=Count("pk", filter=Q(status=Client.Status.SERVED)),
        closed=Count("pk", filter=Q(status=Client.Status.CLOSED)),
    )
    return [Row(key, Stage.LABELS[key], counts[key]) for key in Stage.ORDER]


def municipalities():
    """Every municipality with clients, for the filter (one query)."""
    return list(
        Client.objects.order_by("municipality").values_list("municipality", flat=True).distinct()
    )


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
class DonorReport:
    donor: Donor
    year: int
    totals: DonorRow
    disposals: list
    categories: list
    batches: list


def donor_year_report(donor, year):
    """What happened in `year` to the devices a donor gave (four queries)."""
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
    )


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
