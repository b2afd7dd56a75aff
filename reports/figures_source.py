"""What each device and client adds to the stored dashboard figures (kierratys.figures).

The source kierratys.figures calls (registered when the reports app is ready): for a set
of devices and clients, the counter keys each adds, in a constant number of queries.
`figures_rebuild()` recomputes every entity's keys from the live data and replaces the
stored figures (check_figures --repair, the benchmark's seeding, the first migrate).

Days are local (the default time zone) calendar days, the days a report's range names.
Metrics (key columns used; "prior": the entity's previous event day, for distinct counts):
- received: day taken in, donor                      (monthly received, donor "received")
- status: day taken in, category = lifecycle state    (device states; in stock)
- erasure: day ended, category = result               (attempts, failures, monthly erased)
- erased_device: day of a passed erasure, prior, donor (donor "erased", once per device)
- disposed: day of the status change, donor           (donor "disposed")
- handover: day handed over, municipality, category = service (by municipality/service,
  monthly handed over)
- handed_device: day handed over, prior, donor, category = device category (donor "handed
  over", impact; once per device in a range)
- handed_device_m / handed_device_md: the same with the client's municipality, prior taken
  among the device's handovers in that municipality (the municipality filter; _md with donor)
- reused: day handed over, prior, category = device category (the impact total; once per
  device in a range, like handed_device but without the donor: a sum that does not grow
  with the donors)
- reused_co2e: day handed over, prior, donor; value = the emissions the device's reuse
  avoided (reports.impact_factors.co2e_units): the dashboard ranks donors by it
- handover_days / handover_days_m: day handed over, (municipality,) category = whole days
  from the intake day to the handover day (the median's histogram)
- stage (a client, no day): municipality, category = the client's stage now
"""

from django.db.models import Q
from django.utils import timezone

from clients import selectors
from clients.models import Client, Handover
from devices.models import Device, Erasure
from kierratys import figures
from reports.impact_factors import co2e_units

DEVICE, CLIENT = "device", "client"
RECEIVED, STATUS, ERASURE, ERASED_DEVICE, DISPOSED = (
    "received",
    "status",
    "erasure",
    "erased_device",
    "disposed",
)
HANDOVER, HANDED, HANDED_M, HANDED_MD = (
    "handover",
    "handed_device",
    "handed_device_m",
    "handed_device_md",
)
DAYS, DAYS_M, STAGE = "handover_days", "handover_days_m", "stage"
REUSED, REUSED_CO2E = "reused", "reused_co2e"

# The version of the rules below. Raise it with any change to what a counter holds (a
# metric added, a key split differently): the next migrate rebuilds the stored figures.
# 2: the `reused` and `reused_co2e` metrics.
RULES = 2

# Client stages (reports.selectors.dashboard.Stage holds the labels).
NOT_ELIGIBLE, WAITING, RESERVED, SERVED, CLOSED = (
    "not_eligible",
    "waiting",
    "reserved",
    "served",
    "closed",
)


def local_day(moment):
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def _row(metric, day=None, donor=0, municipality="", category="", prior=None, value=1):
    return [
        metric,
        day.isoformat() if day else "",
        donor or 0,
        municipality or "",
        category or "",
        prior.isoformat() if prior else "",
        value,
    ]


def _distinct(metric, days, **keys):
    """One row per distinct event day, with the day before it (prior) when there was one."""
    ordered = sorted(set(days))
    return [
        _row(metric, day, prior=ordered[i - 1] if i else None, **keys)
        for i, day in enumerate(ordered)
    ]


def _device_rows(device, erasures, handovers):
    """device: (pk, logged_at, status, status_changed_at, category, donor id)."""
    _pk, logged_at, status, changed_at, category, donor = device
    logged = local_day(logged_at)
    rows = [_row(RECEIVED, logged, donor=donor), _row(STATUS, logged, category=status)]
    if status == Device.Status.DISPOSED:
        rows.append(_row(DISPOSED, local_day(changed_at), donor=donor))
    for ended_at, result in erasures:
        rows.append(_row(ERASURE, local_day(ended_at), category=result))
    passed = [local_day(ended) for ended, result in erasures if result == Erasure.Result.PASSED]
    rows += _distinct(ERASED_DEVICE, passed, donor=donor)
    by_municipality = {}
    for handed_at, municipality, service in handovers:
        day, municipality = local_day(handed_at), municipality or ""
        days = str((day - logged).days)
        rows += [
            _row(HANDOVER, day, municipality=municipality, category=service),
            _row(DAYS, day, category=days),
            _row(DAYS_M, day, municipality=municipality, category=days),
        ]
        by_municipality.setdefault(municipality, []).append(day)
    handed_days = [local_day(h[0]) for h in handovers]
    rows += _distinct(HANDED, handed_days, donor=donor, category=category)
    rows += _distinct(REUSED, handed_days, category=category)
    rows += _distinct(REUSED_CO2E, handed_days, donor=donor, value=co2e_units(category))
    for municipality, days in by_municipality.items():
        rows += _distinct(HANDED_M, days, municipality=municipality, category=category)
        rows += _distinct(
            HANDED_MD, days, donor=donor, municipality=municipality, category=category
        )
    return rows


def device_contributions(device_filter):
    """{(DEVICE, pk): rows} for the devices matching the Q (three queries)."""
    devices = (
        Device.objects.filter(device_filter)
        .order_by()
        .values_list(
            "pk", "logged_at", "status", "status_changed_at", "category", "batch__donor_id"
        )
    )
    devices = {row[0]: row for row in devices}
    erasures, handovers = {}, {}
    if devices:
        erasure_rows = Erasure.objects.filter(device__in=Device.objects.filter(device_filter))
        for device_id, ended_at, result in erasure_rows.order_by().values_list(
            "device_id", "ended_at", "result"
        ):
            erasures.setdefault(device_id, []).append((ended_at, result))
        handover_rows = Handover.objects.filter(
            device__in=Device.objects.filter(device_filter), handed_over_at__isnull=False
        )
        for device_id, *handover in handover_rows.order_by().values_list(
            "device_id", "handed_over_at", "client__municipality_id", "client__service"
        ):
            handovers.setdefault(device_id, []).append(handover)
    return {
        (DEVICE, pk): _device_rows(row, erasures.get(pk, []), handovers.get(pk, []))
        for pk, row in devices.items()
    }


def _stage(status, has_open_handover, eligible):
    if status == Client.Status.SERVED:
        return SERVED
    if status == Client.Status.CLOSED:
        return CLOSED
    if has_open_handover:
        return RESERVED
    return WAITING if eligible else NOT_ELIGIBLE


def client_contributions(client_filter):
    """{(CLIENT, pk): rows} for the clients matching the Q: their stage now (three queries)."""
    clients = Client.objects.filter(client_filter).order_by()
    rows = list(clients.values_list("pk", "status", "municipality_id"))
    if not rows:
        return {}
    with_open = set(
        Handover.objects.filter(client__in=clients, status__in=Handover.OPEN_STATUSES)
        .order_by()
        .values_list("client_id", flat=True)
    )
    eligible = set(clients.filter(selectors.eligible_condition()).values_list("pk", flat=True))
    found = {}
    for pk, status, municipality in rows:
        stage = _stage(status, pk in with_open, pk in eligible)
        found[(CLIENT, pk)] = [_row(STAGE, municipality=municipality, category=stage)]
    return found


def contributions(*, devices=(), clients=(), batches=(), every_client=False):
    """The source kierratys.figures calls: every named entity's rows (none when it is gone).

    A client's devices (those handed over to it) come along: their handover keys hold the
    client's municipality and service. A batch stands for its devices."""
    devices, clients = set(devices), set(clients)
    if batches:
        devices |= set(Device.objects.filter(batch__in=batches).values_list("pk", flat=True))
    if clients:
        devices |= set(
            Handover.objects.filter(client__in=clients, handed_over_at__isnull=False)
            .order_by()
            .values_list("device_id", flat=True)
        )
    found = {(DEVICE, pk): [] for pk in devices}
    if devices:
        found.update(device_contributions(Q(pk__in=devices)))
    if every_client:
        clients |= set(Client.objects.values_list("pk", flat=True))
    found.update({(CLIENT, pk): [] for pk in clients})
    if clients:
        found.update(client_contributions(Q(pk__in=clients) if not every_client else Q()))
    return found


def live_contributions():
    """Every device's and client's rows from the live data."""
    return {**device_contributions(Q()), **client_contributions(Q())}


def figures_rebuild():
    """Replace the stored figures with those of the live data (bulk; after seeding, --repair)."""
    figures.figures_replace(live_contributions(), rules=RULES)


figures.register_source(contributions)
figures.register_rebuild(figures_rebuild)


def fill_after_migrate(sender, **kwargs):
    """post_migrate: a migrate that finds the figures built by other rules than RULES (or
    never built) rebuilds them from the live data; later runs find them current.

    (A data migration cannot: kierratys's migrations know no other app, and the rule of
    every figure is today's code, here.) With no devices and no clients there is nothing
    to count: the empty figures are marked current."""
    if (
        sender.label != "kierratys"
        or kwargs.get("plan")
        and any(backwards for _migration, backwards in kwargs["plan"])
    ):
        return
    if figures.figures_rules() == RULES:
        return
    if Device.objects.exists() or Client.objects.exists():
        figures_rebuild()
    else:
        figures.figures_restamp(rules=RULES)
