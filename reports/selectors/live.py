"""The dashboard's figures computed live from the whole programme (the reference).

The dashboard reads stored counters (reports.selectors.dashboard, kept by the services
through kierratys.figures); these are the aggregates it ran before, kept only to prove
the counters equal (tests/reports/test_figures_equal_live.py, manage.py check_figures).
Every function has the stored one's name, arguments and result.
"""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import get_language

from clients import selectors
from clients.models import Client, Handover, Municipality
from clients.municipalities import collation_key
from clients.municipality_models import MUNICIPALITY_TO_CHECK
from devices.models import Device, Erasure
from reports.figures_source import local_day
from reports.selectors.dashboard import (
    DonorRow,
    Figures,
    Headline,
    MonthRow,
    Row,
    Stage,
    handed_over_handovers,
    median_of,
    ranked_donors,
)
from reports.selectors.filters import ReportFilter, month_window, start_of
from reports.selectors.impact import Impact, ImpactFigures, grouped


def dashboard_figures(filters=None):
    """Every dashboard figure for the filters, in a constant number of queries."""
    filters = filters or ReportFilter()
    figures = Figures(filters=filters)
    figures.status_counts = device_status_counts(filters)
    figures.monthly = monthly_counts(filters)
    figures.by_municipality, figures.by_service = handovers_by_municipality_and_service(filters)
    figures.donors = donor_totals(filters)
    figures.top_donors, figures.donor_count = ranked_donors(figures.donors)
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
        key=lambda row: (row.name, row.donor_id),
    )


def median_days_to_handover(filters):
    """Median whole days from the intake day to the handover day, and how many handovers."""
    days = sorted(
        (local_day(handed_at) - local_day(logged_at)).days
        for handed_at, logged_at in handed_over_handovers(filters)
        .order_by()
        .values_list("handed_over_at", "device__logged_at")
    )
    return median_of(days), len(days)


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


def headline_figures():
    """The start page's figures, live."""
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


def _reused(filters, donor=None):
    handovers = handed_over_handovers(filters).order_by()
    if donor is not None:
        handovers = handovers.filter(device__batch__donor=donor)
    return handovers


def impact_total(filters, donor=None):
    """Devices reused in the range (optionally one donor's) and what they avoided, live."""
    rows = (
        _reused(filters, donor)
        .values_list("device__category")
        .annotate(n=Count("device", distinct=True))
    )
    total = Impact()
    for category, count in rows:
        total.add(category, count)
    return total


def _municipality_rows(handovers):
    swedish = (get_language() or "fi")[:2] == "sv"
    rows = handovers.values_list(
        "client__municipality",
        "client__municipality__name_fi",
        "client__municipality__name_sv",
        "device__category",
    ).annotate(n=Count("device", distinct=True))
    for code, name_fi, name_sv, category, count in rows:
        label = (name_sv if swedish else name_fi) if code else str(MUNICIPALITY_TO_CHECK)
        yield code, label, category, count


def impact_figures(filters):
    """Impact in total, per municipality and per donor, live."""
    handovers = _reused(filters)
    by_donor = handovers.values_list(
        "device__batch__donor_id", "device__batch__donor__name", "device__category"
    ).annotate(n=Count("device", distinct=True))
    return ImpactFigures(
        total=impact_total(filters),
        by_municipality=grouped(_municipality_rows(handovers)),
        by_donor=grouped(by_donor),
    )
