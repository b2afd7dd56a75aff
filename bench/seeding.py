"""A national-scale benchmark database, built with bulk inserts and its history.

Scale 1.0 is a national programme: 100,000 devices with erasure records, 20,000
clients with milestones and 40,000 handovers. Every device walks the lifecycle
diagram (intake -> erasure -> refurbishment -> reservation -> handover, with
failed erasures, disposals, cancelled reservations and returned loans on the
way), and every step leaves the django-simple-history row that the services
would have left, with the acting user and the reason. `bulk_create` bypasses
Device.save's status guard on purpose: the statuses written here are the end
points of paths the lifecycle allows, which `seed` builds step by step.
"""

import datetime
import random
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.utils import timezone

from clients.catalogue import DEFAULT_MILESTONES
from clients.eligibility import eligibility_refresh_all
from clients.models import (
    AccessLog,
    Client,
    ClientMilestone,
    Handover,
    HandoverReadiness,
    Milestone,
    Municipality,
    SupportPoint,
)
from clients.services import RECEIPT_SEQUENCE
from devices import inventory_codes
from devices.models import (
    BatchListItem,
    Device,
    DonationBatch,
    Donor,
    Erasure,
    ErasureCertificate,
    RefurbishmentCheck,
    StorageMedium,
)
from devices.services.certificates import CERTIFICATE_SEQUENCE
from devices.services.media import intake_medium
from devices.validators import business_id_check_digit
from kierratys import roles
from kierratys.models import YearlySequence
from kierratys.sequences import reference_year

try:  # helper DASH's stored dashboard figures (reports.figures_source), when in this tree
    from kierratys.figure_models import FigureContribution, FigureCount
    from reports.figures_source import figures_rebuild
except ImportError:
    FigureContribution = FigureCount = figures_rebuild = None

NATIONAL = {"devices": 100_000, "clients": 20_000, "handovers": 40_000}
MARKER = "bench-seed"  # YearlySequence row naming the seeded device count
VERSION_MARKER = "bench-seed-version"  # ... and the one naming what the seed holds
# Raise when the seed's content changes: an older seed is then rebuilt, not reused.
SEED_VERSION = 3  # 2: storage media, the 2,000-device batch; 3: this year's sequences
YEARLY_SEQUENCES = ("batch", "client", RECEIPT_SEQUENCE, CERTIFICATE_SEQUENCE)
CERTIFICATE_BATCH_SIZE = 200
LARGE_CERTIFICATE_BATCH_SIZE = 2_000  # the second batch: the certificate's 2,000 devices
TWO_MEDIA_SHARE = 0.05  # laptops with a second drive (an HDD beside the NVMe)
COORDINATOR_USERNAME = "bench-koordinaattori"
FLUSH_AT = 5_000
BATCH_SIZE = 500

# Where the devices are now; shares of all devices.
DEVICE_SHARES = {
    Device.Status.HANDED_OVER: 0.24,
    Device.Status.ON_LOAN: 0.04,
    Device.Status.RESERVED: 0.02,
    Device.Status.READY: 0.20,
    Device.Status.ERASED: 0.08,
    Device.Status.RECEIVED: 0.22,
    Device.Status.DISPOSED: 0.20,
}
# Closed handovers (shares of all devices): reservations cancelled and loans returned.
CANCELLED_SHARE = 0.05
RETURNED_SHARE = 0.05

# Finnish names in the municipality list the migrations load; rows refer to them by code.
MUNICIPALITIES = (
    "Helsinki", "Espoo", "Tampere", "Vantaa", "Oulu", "Turku", "Jyväskylä", "Kuopio",
    "Lahti", "Pori", "Hämeenlinna", "Rovaniemi", "Vaasa", "Seinäjoki", "Joensuu", "Kotka",
)  # fmt: skip
FIRST_NAMES = ("Aino", "Eino", "Helmi", "Toivo", "Kerttu", "Väinö", "Sirkka", "Pentti", "Raili")
LAST_NAMES = ("Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine")
MODELS = {
    Device.Category.LAPTOP: (("Lenovo", "ThinkPad T480"), ("HP", "EliteBook 840 G5"),
                             ("Dell", "Latitude 7490"), ("Apple", "MacBook Air 2017")),
    Device.Category.DESKTOP: (("HP", "EliteDesk 800 G4"), ("Dell", "OptiPlex 7060")),
    Device.Category.TABLET: (("Apple", "iPad 7"), ("Samsung", "Galaxy Tab A7")),
    Device.Category.PHONE: (("Samsung", "Galaxy A52"), ("Apple", "iPhone 8"), ("Nokia", "G20")),
    Device.Category.OTHER: (("Logitech", "C920 webcam"),),
}  # fmt: skip
# The Purge technique per medium kind (phones and tablets: a factory reset).
PURGE_TECHNIQUE = {
    "emmc": Erasure.Technique.FACTORY_RESET,
    "ssd": Erasure.Technique.ATA_SECURE_ERASE,
    "hdd": Erasure.Technique.ATA_SECURE_ERASE,
    "nvme": Erasure.Technique.NVME_SANITIZE,
}
CATEGORY_WEIGHTS = {
    Device.Category.LAPTOP: 55,
    Device.Category.DESKTOP: 10,
    Device.Category.TABLET: 12,
    Device.Category.PHONE: 20,
    Device.Category.OTHER: 3,
}


@dataclass
class SeedCounts:
    devices: int
    clients: int
    handovers: int

    @classmethod
    def for_scale(cls, scale):
        return cls(**{name: max(1, round(n * scale)) for name, n in NATIONAL.items()})


@dataclass
class SeedResult:
    counts: SeedCounts
    rows: dict = field(default_factory=dict)
    seconds: float = 0.0
    reused: bool = False


def seeded_device_count():
    """The device count of the benchmark seed in this database, or None if not seeded."""
    marker = YearlySequence.objects.filter(name=MARKER, year=0).first()
    return marker.last_number if marker else None


def holds_foreign_data():
    """True when the database holds domain data that the benchmark did not create."""
    return seeded_device_count() is None and (
        Device.objects.exists() or Client.objects.exists() or Donor.objects.exists()
    )


def is_seeded(counts):
    version = YearlySequence.objects.filter(name=VERSION_MARKER, year=0).first()
    return (
        version is not None
        and version.last_number == SEED_VERSION
        and seeded_device_count() == counts.devices
        and Device.objects.count() == counts.devices
    )


def wipe():
    """Empty every table the seed writes (benchmark databases only: the caller checks)."""
    models = [
        AccessLog, HandoverReadiness, Handover, ClientMilestone, Client, Milestone, SupportPoint,
        RefurbishmentCheck, ErasureCertificate, Erasure, StorageMedium, BatchListItem, Device,
        DonationBatch, Donor, YearlySequence, Session,
    ]  # fmt: skip
    models += [m for m in (FigureCount, FigureContribution) if m is not None]
    models += [model.history.model for model in models if hasattr(model, "history")]
    tables = [model._meta.db_table for model in models]
    tables.append(Donor.users.through._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "TRUNCATE " + ", ".join(connection.ops.quote_name(t) for t in tables) + " CASCADE"
            )
        else:
            with connection.constraint_checks_disabled():
                for table in tables:
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
    get_user_model().objects.filter(username__startswith="bench-").delete()


@contextmanager
def _explicit_timestamps(*fields):
    """Let bulk_create keep the timestamps we set instead of auto_now_add's `now`."""
    saved = [(f, f.auto_now_add) for f in fields]
    try:
        for f, _ in saved:
            f.auto_now_add = False
        yield
    finally:
        for f, value in saved:
            f.auto_now_add = value


class _Sinks:
    """Buffered bulk inserts, flushed in dependency order so memory stays flat.

    Rows go in as multi-row INSERTs through `executemany` with values adapted
    once per column: `bulk_create` spent four fifths of the seeding time in
    its per-value preparation, which the plain values built here do not need.
    """

    def __init__(self, models):
        self.buffers = {model: [] for model in models}
        self.written = dict.fromkeys(models, 0)
        self.last_pk = dict.fromkeys(models, 0)
        self.columns = {model: _insert_columns(model) for model in models}

    def add(self, obj):
        """Queue `obj`; a domain row without a pk gets the next one (the tables start empty)."""
        model = type(obj)
        if obj.pk is None and model._meta.pk.name != "history_id":
            self.last_pk[model] += 1
            obj.pk = self.last_pk[model]
        self.add_row(model, self.row(obj))

    def row(self, obj):
        """The INSERT values of `obj`, as a list (a deferred row can still be changed)."""
        return [adapt(getattr(obj, name)) for name, adapt in self.columns[type(obj)][1]]

    def index(self, model, attname):
        return [name for name, _ in self.columns[model][1]].index(attname)

    def add_row(self, model, row):
        buffer = self.buffers[model]
        buffer.append(row)
        if len(buffer) >= FLUSH_AT:
            self.flush()

    def flush(self):
        with connection.cursor() as cursor:
            for model, buffer in self.buffers.items():
                if buffer:
                    sql = self.columns[model][0]
                    for start in range(0, len(buffer), BATCH_SIZE):
                        cursor.executemany(sql, buffer[start : start + BATCH_SIZE])
                    self.written[model] += len(buffer)
                    buffer.clear()


def _insert_columns(model):
    """The INSERT statement of `model` and each column's attname with its value adapter."""
    ops = connection.ops
    columns = []
    for f in model._meta.concrete_fields:
        if f.name == "history_id":
            continue  # the database numbers history rows
        internal = f.get_internal_type()
        if internal == "DateTimeField":
            adapt = ops.adapt_datetimefield_value
        elif internal == "DateField":
            adapt = ops.adapt_datefield_value
        elif internal == "DecimalField":
            adapt = _decimal_adapter(f)  # rare (screen size): the field's own path
        else:
            adapt = _as_is
        columns.append((f, adapt))
    table = ops.quote_name(model._meta.db_table)
    names = ", ".join(ops.quote_name(f.column) for f, _ in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"
    return sql, [(f.attname, adapt) for f, adapt in columns]


def _decimal_adapter(f):
    def adapt(value):
        return f.get_db_prep_save(value, connection)

    return adapt


def _as_is(value):
    return value


_ATTNAMES = {}


def _history(obj, *, when, user_id, kind="~", reason=None):
    """The simple-history row for `obj` as it is now, as the services would have left it."""
    model = type(obj)
    cached = _ATTNAMES.get(model)
    if cached is None:
        # Fields kept out of the history (excluded_fields) are left out here too.
        kept = {f.attname for f in model.history.model._meta.concrete_fields}
        names = [f.attname for f in model._meta.concrete_fields if f.attname in kept]
        cached = _ATTNAMES[model] = (model.history.model, names)
    history_model, names = cached
    values = {name: getattr(obj, name) for name in names}
    return history_model(
        **values,
        history_date=when,
        history_user_id=user_id,
        history_type=kind,
        history_change_reason=reason,
    )


def _apportion(total, shares):
    """Split `total` by `shares` (largest remainder), at least 1 each when total allows."""
    keys = list(shares)
    raw = {k: total * shares[k] / sum(shares.values()) for k in keys}
    counts = {k: int(raw[k]) for k in keys}
    if total >= len(keys):
        for k in keys:
            counts[k] = max(1, counts[k])
    for k in sorted(keys, key=lambda k: raw[k] - int(raw[k]), reverse=True):
        if sum(counts.values()) >= total:
            break
        counts[k] += 1
    while sum(counts.values()) > total:
        counts[max(keys, key=lambda k: counts[k])] -= 1
    return counts


def _business_ids():
    body = 1_000_000
    while True:
        body += 7
        digit = business_id_check_digit(f"{body:07d}")
        if digit is not None:
            yield f"{body:07d}-{digit}"


def _imei(number):
    body = f"35{number:012d}"
    total = 0
    for position, char in enumerate(reversed(body)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return body + str((10 - total % 10) % 10)


def _users(counts):
    User = get_user_model()
    n_coaches = max(1, round(counts.clients / 100))
    n_technicians = max(1, round(counts.devices / 2000))
    n_donors = max(2, round(counts.devices / 200))
    specs = [(COORDINATOR_USERNAME, roles.COORDINATOR)]
    specs += [(f"bench-teknikko-{i:03d}", roles.TECHNICIAN) for i in range(n_technicians)]
    specs += [(f"bench-valmentaja-{i:03d}", roles.COACH) for i in range(n_coaches)]
    specs += [(f"bench-lahjoittaja-{i:03d}", roles.DONOR) for i in range(n_donors)]
    users = [
        User(
            username=username,
            first_name=username.split("-")[1].capitalize(),
            last_name=username.rsplit("-", 1)[-1],
            is_staff=role == roles.COORDINATOR,
            password="!",  # unusable: benchmark users log in only through a created session
        )
        for username, role in specs
    ]
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    by_name = {u.username: u for u in User.objects.filter(username__startswith="bench-")}
    groups = {g.name: g for g in Group.objects.filter(name__in=roles.ROLES)}
    through = User.groups.through
    through.objects.bulk_create(
        [through(user_id=by_name[name].pk, group_id=groups[role].pk) for name, role in specs],
        batch_size=BATCH_SIZE,
    )
    ids = {role: [by_name[name].pk for name, r in specs if r == role] for role in roles.ROLES}
    return ids


def seed(scale=1.0, *, seed_value=8):
    """Fill an empty database with a benchmark seed of the given scale; returns what was made."""
    counts = SeedCounts.for_scale(scale)
    rng = random.Random(seed_value)
    now = timezone.now()
    start = now - datetime.timedelta(days=3 * 365)
    hist = {m: m.history.model for m in (Donor, DonationBatch, Device, StorageMedium, Erasure,
                                         RefurbishmentCheck, Client, Milestone, ClientMilestone,
                                         Handover, HandoverReadiness, SupportPoint)}  # fmt: skip
    sinks = _Sinks([
        Donor, hist[Donor], DonationBatch, hist[DonationBatch], Device, hist[Device],
        StorageMedium, hist[StorageMedium], Erasure, hist[Erasure],
        RefurbishmentCheck, hist[RefurbishmentCheck],
        Milestone, hist[Milestone], SupportPoint, hist[SupportPoint],
        Client, hist[Client], ClientMilestone, hist[ClientMilestone],
        Handover, hist[Handover], HandoverReadiness, hist[HandoverReadiness],
    ])  # fmt: skip
    with (
        transaction.atomic(),
        _explicit_timestamps(
            Donor._meta.get_field("created_at"),
            Erasure._meta.get_field("recorded_at"),
            Client._meta.get_field("created_at"),
        ),
    ):
        user_ids = _users(counts)
        coordinator_id = user_ids[roles.COORDINATOR][0]
        technicians = user_ids[roles.TECHNICIAN]
        coaches = user_ids[roles.COACH]
        donor_users = user_ids[roles.DONOR]

        donors = _seed_donors(sinks, hist, rng, donor_users, coordinator_id, start)
        batches = _seed_batches(sinks, counts, rng, donors, coordinator_id, technicians, start, now)
        handover_plans = _seed_devices(sinks, counts, rng, batches, technicians, now)
        milestones = _seed_catalogue(sinks, coordinator_id, start)
        client_years = _seed_clients_and_handovers(
            sinks, counts, rng, handover_plans, milestones, coaches, coordinator_id, now
        )
        sinks.flush()
        rebuild_stored()
        _seed_sequences(counts, batches, client_years)
        YearlySequence.objects.create(name=MARKER, year=0, last_number=counts.devices)
        YearlySequence.objects.create(name=VERSION_MARKER, year=0, last_number=SEED_VERSION)
        if connection.vendor == "postgresql":
            _reset_sequences()
    rows = {model._meta.label: n for model, n in sinks.written.items()}
    return SeedResult(counts=counts, rows=rows)


def rebuild_stored():
    """What the services keep stored beside the rows, rebuilt from the bulk-inserted data:
    each client's eligible_since (helper LISTS) and the dashboard figures (helper DASH)."""
    eligibility_refresh_all()
    if figures_rebuild is not None:
        figures_rebuild()


def _seed_donors(sinks, hist, rng, donor_users, coordinator_id, start):
    business_ids = _business_ids()
    kinds = [Donor.Kind.COMPANY] * 6 + [
        Donor.Kind.PUBLIC_BODY, Donor.Kind.SCHOOL, Donor.Kind.ASSOCIATION, Donor.Kind.PRIVATE_PERSON
    ]  # fmt: skip
    donors = []
    for i, _user_id in enumerate(donor_users, start=1):
        kind = kinds[i % len(kinds)]
        donor = Donor(
            id=i,
            name=f"Lahjoittaja {i:03d}" + (" Oy" if kind == Donor.Kind.COMPANY else ""),
            kind=kind,
            business_id="" if kind == Donor.Kind.PRIVATE_PERSON else next(business_ids),
            contact_person=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            email=f"it{i}@example.fi",
            created_at=start,
        )
        sinks.add(donor)
        sinks.add(_history(donor, when=start, user_id=coordinator_id, kind="+"))
        donors.append(donor)
    sinks.flush()
    through = Donor.users.through
    through.objects.bulk_create(
        [through(donor_id=d.pk, user_id=u) for d, u in zip(donors, donor_users, strict=True)]
    )
    return donors


def _seed_batches(sinks, counts, rng, donors, coordinator_id, technicians, start, now):
    """Batches with their sizes: the first holds the certificate's 200 devices, the second
    the large certificate's 2,000 (fewer at small scales)."""
    sizes = [min(CERTIFICATE_BATCH_SIZE, counts.devices)]
    large = _large_batch_size(counts.devices)
    if large:
        sizes.append(large)
    while sum(sizes) < counts.devices:
        sizes.append(min(rng.randint(20, 80), counts.devices - sum(sizes)))
    span = (now - datetime.timedelta(days=30) - start).total_seconds()
    per_year = {}
    batches = []
    for i, size in enumerate(sizes, start=1):
        registered_at = start + datetime.timedelta(seconds=span * (i - 1) / len(sizes))
        year = timezone.localtime(registered_at).year
        per_year[year] = per_year.get(year, 0) + 1
        donor = donors[(i - 1) % len(donors)]
        registered_by = coordinator_id
        batch = DonationBatch(
            id=i,
            donor=donor,
            reference=f"ER-{year}-{per_year[year]:04d}",
            registered_by_id=registered_by,
            registered_at=registered_at,
            declared_count=size,
            declared_kinds="kannettavat, puhelimet",
            status=DonationBatch.Status.REGISTERED,
        )
        sinks.add(_history(batch, when=registered_at, user_id=registered_by, kind="+"))
        batch.status = DonationBatch.Status.RECEIVED
        batch.received_at = registered_at + datetime.timedelta(days=rng.randint(1, 5))
        batch.received_by_id = rng.choice(technicians)
        sinks.add(
            _history(batch, when=batch.received_at, user_id=batch.received_by_id,
                     reason="batch received")
        )  # fmt: skip
        if now - batch.received_at > datetime.timedelta(days=60):
            batch.status = DonationBatch.Status.PROCESSED
            processed_at = batch.received_at + datetime.timedelta(days=30)
            sinks.add(
                _history(batch, when=processed_at, user_id=batch.received_by_id,
                         reason="batch processed")
            )  # fmt: skip
        sinks.add(batch)
        batches.append((batch, size))
    batches_by_year = per_year
    sinks.flush()
    return batches, batches_by_year


def _seed_devices(sinks, counts, rng, batches_and_years, technicians, now):
    """Every device's path through the lifecycle, with erasures, checks and history."""
    batches, _years = batches_and_years
    n = counts.devices
    finals = []
    for status, k in _apportion(n, DEVICE_SHARES).items():
        finals += [status] * k
    rng.shuffle(finals)
    # The certificate batches have passed erasures on all their devices, as finished
    # batches would: their unerased devices swap places with erased ones further on.
    special = min(n, CERTIFICATE_BATCH_SIZE + _large_batch_size(n))
    unerased = (Device.Status.RECEIVED, Device.Status.DISPOSED)
    donors = (j for j in range(special, n) if finals[j] not in unerased)
    for index in range(special):
        if finals[index] in unerased:
            swap = next(donors, None)
            if swap is None:
                break
            finals[index], finals[swap] = finals[swap], finals[index]
    # Extra cycles: a returned loan (device came back and went round again) and a
    # cancelled reservation, drawn from devices whose path passes through those states.
    closed_total = max(0, counts.handovers - sum(
        1 for s in finals
        if s in (Device.Status.HANDED_OVER, Device.Status.ON_LOAN, Device.Status.RESERVED)
    ))  # fmt: skip
    n_returned = round(closed_total * RETURNED_SHARE / (RETURNED_SHARE + CANCELLED_SHARE))
    n_cancelled = closed_total - n_returned
    after_ready = (Device.Status.READY, Device.Status.RESERVED, Device.Status.HANDED_OVER,
                   Device.Status.ON_LOAN)  # fmt: skip
    could_return = [i for i, s in enumerate(finals) if s != Device.Status.DISPOSED]
    returned = set(rng.sample(could_return, min(n_returned, len(could_return))))
    could_cancel = [i for i, s in enumerate(finals) if s in after_ready]
    cancelled = set(rng.sample(could_cancel, min(n_cancelled, len(could_cancel))))

    categories = list(CATEGORY_WEIGHTS)
    weights = list(CATEGORY_WEIGHTS.values())
    handover_plans = []
    device_id = 0
    for batch, size in batches:
        for _ in range(size):
            device_id += 1
            index = device_id - 1
            handover_plans += _device_path(
                sinks, rng, batch, device_id, finals[index], index in returned,
                index in cancelled, rng.choices(categories, weights)[0], technicians, now,
            )  # fmt: skip
    return handover_plans


def _large_batch_size(devices):
    """The large certificate batch: 2,000 devices, at most a quarter of the rest at small scales."""
    return min(LARGE_CERTIFICATE_BATCH_SIZE, max(0, devices - CERTIFICATE_BATCH_SIZE) // 4)


def _seed_media(sinks, rng, device, technician):
    """The media intake describes (devices.services.media.intake_medium), with their history;
    a few laptops hold a second drive."""
    media = []
    medium = intake_medium(device)
    if medium is not None:
        medium.device_id = device.pk
        if not medium.built_in:
            medium.model = "Samsung PM981" if medium.kind == "nvme" else "Crucial MX500"
            medium.serial_number = f"S{device.pk:09d}"
        media.append(medium)
    if device.category == Device.Category.LAPTOP and rng.random() < TWO_MEDIA_SHARE:
        media.append(
            StorageMedium(
                device_id=device.pk, kind=StorageMedium.Kind.HDD, model="Seagate ST1000LM035",
                serial_number=f"W{device.pk:09d}", capacity_gb=1000,
            )
        )  # fmt: skip
    for medium in media:
        medium.added_at = device.logged_at
        sinks.add(medium)
        sinks.add(_history(medium, when=device.logged_at, user_id=technician, kind="+"))
    return media


def _device_path(sinks, rng, batch, device_id, final, returned, cancelled, category,
                 technicians, now):  # fmt: skip
    Status = Device.Status
    manufacturer, model = rng.choice(MODELS[category])
    technician = rng.choice(technicians)
    logged_at = batch.received_at + datetime.timedelta(hours=rng.randint(1, 24 * 20))
    logged_at = min(logged_at, now - datetime.timedelta(days=1))
    device = Device(
        id=device_id,
        inventory_code=inventory_codes.make_code(device_id),
        batch_id=batch.pk,
        category=category,
        manufacturer=manufacturer,
        model=model,
        serial_number=f"BS{device_id:09d}",
        imei=_imei(device_id) if category == Device.Category.PHONE else "",
        asset_tag=f"IT-{device_id:06d}" if device_id % 3 else "",
        cpu="Intel Core i5-8350U" if category in ("laptop", "desktop") else "",
        ram_gb=rng.choice((4, 8, 16)),
        storage_gb=rng.choice((128, 256, 512)),
        storage_type=(
            Device.StorageType.EMMC
            if category in (Device.Category.PHONE, Device.Category.TABLET)
            else rng.choice((Device.StorageType.SSD, Device.StorageType.NVME))
        ),
        operating_system="Windows 11" if category in ("laptop", "desktop") else "",
        condition_grade=rng.choice(("A", "B", "B", "C")),
        has_charger=rng.random() < 0.8,
        status=Status.RECEIVED,
        status_changed_at=logged_at,
        received_at=logged_at,
        logged_by_id=technician,
        logged_at=logged_at,
    )
    # The steps of the path, in order; times are spread between intake and now.
    steps = []
    if returned:
        steps += ["erase", "ready", "reserve", "loan", "return"]
    if final == Status.RECEIVED:
        if rng.random() < 0.3:
            steps.append("erase_failed")
    elif final == Status.DISPOSED:
        steps += ["destroy"] if rng.random() < 0.5 else ["erase_failed", "dispose"]
    else:
        steps.append("erase")
        if final != Status.ERASED:
            steps.append("ready")
            if cancelled:
                steps += ["reserve", "cancel"]
            if final in (Status.RESERVED, Status.HANDED_OVER, Status.ON_LOAN):
                steps.append("reserve")
            if final == Status.HANDED_OVER:
                steps.append("gift")
            elif final == Status.ON_LOAN:
                steps.append("loan")
    span = (now - logged_at).total_seconds() * 0.95
    offsets = sorted(rng.uniform(0, span) for _ in steps)
    times = [logged_at + datetime.timedelta(seconds=60 + s) for s in offsets]

    history = [_history(device, when=logged_at, user_id=technician, kind="+", reason="intake")]
    media = _seed_media(sinks, rng, device, technician)
    plans = []
    open_plan = None

    def move(to_status, when, actor, reason, disposal_reason=""):
        device.status = to_status
        device.status_changed_at = when
        device.disposal_reason = disposal_reason
        if to_status == Status.RECEIVED:
            device.received_at = when
        row = _history(device, when=when, user_id=actor, reason=reason)
        if actor is None:  # a coach's step: the coach is known once the client is chosen
            open_plan["device_history"].append(sinks.row(row))
        else:
            history.append(row)

    def erasure(when, result, method=Erasure.Method.PURGE):
        """One attempt per medium; a failed one fails on the first medium only."""
        for medium in media[:1] if result == Erasure.Result.FAILED else media:
            started = when - datetime.timedelta(minutes=rng.randint(20, 90))
            technique = {
                Erasure.Method.DESTROY: Erasure.Technique.PHYSICAL_DESTRUCTION,
                Erasure.Method.PURGE: PURGE_TECHNIQUE.get(medium.kind, "nvme_sanitize"),
            }[method]
            record = Erasure(
                device_id=device_id,
                medium_id=medium.pk,
                technician_id=technician,
                started_at=started,
                ended_at=when,
                method=method,
                technique=technique,
                tool_name="Blancco" if technique == Erasure.Technique.FACTORY_RESET else "nwipe",
                tool_version="0.36",
                verification=Erasure.Verification.FULL,
                result=result,
                failure_reason="" if result == Erasure.Result.PASSED else "verification failed",
                recorded_at=when,
            )
            sinks.add(record)
            sinks.add(_history(record, when=when, user_id=technician, kind="+"))

    for step, when in zip(steps, times, strict=True):
        if step == "erase":
            if rng.random() < 0.15:  # a first attempt that failed verification
                erasure(when - datetime.timedelta(hours=2), Erasure.Result.FAILED)
            erasure(when, Erasure.Result.PASSED)
            move(Status.ERASED, when, technician, "erasure passed")
        elif step == "erase_failed":
            erasure(when, Erasure.Result.FAILED)
        elif step == "destroy":
            erasure(when, Erasure.Result.PASSED, Erasure.Method.DESTROY)
            move(Status.DISPOSED, when, technician, "disposed: ewaste", "ewaste")
        elif step == "dispose":
            move(Status.DISPOSED, when, technician, "disposed: parts", "parts")
        elif step == "ready":
            check = RefurbishmentCheck(
                device_id=device_id, checked_by_id=technician, checked_at=when,
                **dict.fromkeys(RefurbishmentCheck.CHECK_FIELDS, True),
            )  # fmt: skip
            sinks.add(check)
            sinks.add(_history(check, when=when, user_id=technician, kind="+"))
            move(Status.READY, when, technician, "refurbishment complete")
        elif step == "reserve":
            open_plan = {
                "device_id": device_id, "reserved_at": when, "steps": [], "device_history": [],
            }  # fmt: skip
            plans.append(open_plan)
            move(Status.RESERVED, when, None, "reserved")  # actor filled in with the coach
        elif step == "cancel":
            open_plan["steps"].append(("cancel", when))
            move(Status.READY, when, None, "reservation cancelled")
        elif step in ("gift", "loan"):
            open_plan["steps"].append((step, when))
            move(Status.ON_LOAN if step == "loan" else Status.HANDED_OVER, when, None, step)
        elif step == "return":
            open_plan["steps"].append(("return", when))
            move(Status.RECEIVED, when, None, "loan returned")
    sinks.add(device)
    for row in history:
        sinks.add(row)
    return plans


def _municipality_codes():
    """MUNICIPALITIES by Finnish name -> code (one query)."""
    return dict(
        Municipality.objects.filter(name_fi__in=MUNICIPALITIES).values_list("name_fi", "code")
    )


def _seed_catalogue(sinks, coordinator_id, start):
    milestones = []
    # The project's one catalogue, numbered as clients.catalogue.catalogue_seed numbers it.
    for number, (code, required, names, descriptions) in enumerate(DEFAULT_MILESTONES, start=1):
        milestone = Milestone(
            id=number, code=code, order=number * 10, required=required,
            name_fi=names[0], name_sv=names[1], name_en=names[2],
            description_fi=descriptions[0], description_sv=descriptions[1],
            description_en=descriptions[2],
        )  # fmt: skip
        sinks.add(milestone)
        sinks.add(_history(milestone, when=start, user_id=coordinator_id, kind="+"))
        milestones.append(milestone)
    codes = _municipality_codes()
    for i, municipality in enumerate(MUNICIPALITIES, start=1):
        point = SupportPoint(
            id=i, name=f"Digitukipiste {municipality}", municipality_id=codes[municipality],
            address=f"Kirjastokatu {i}", opening_hours="ma–to 10–16",
            contact=f"digituki@{municipality.lower()}.example.fi",
        )  # fmt: skip
        sinks.add(point)
        sinks.add(_history(point, when=start, user_id=coordinator_id, kind="+"))
    return milestones


def _seed_clients_and_handovers(sinks, counts, rng, handover_plans, milestones, coaches,
                                coordinator_id, now):  # fmt: skip
    """Clients whose status and milestones match their handovers, then the handovers."""
    Status = Client.Status
    served_plans = [p for p in handover_plans if any(s in ("gift", "loan") for s, _ in p["steps"])
                    and not any(s in ("return",) for s, _ in p["steps"])]  # fmt: skip
    reserved_plans = [p for p in handover_plans if not p["steps"]]
    open_ids = {id(p) for p in served_plans} | {id(p) for p in reserved_plans}
    closed_plans = [p for p in handover_plans if id(p) not in open_ids]
    groups = _apportion(
        counts.clients,
        {"served": 0.70, "closed": 0.03, "reserved": 0.10, "waiting": 0.09, "partial": 0.08},
    )
    groups["reserved"] = min(groups["reserved"], len(reserved_plans))
    clients = []
    for group, k in groups.items():
        clients += [group] * k
    clients += ["partial"] * (counts.clients - len(clients))
    rng.shuffle(clients)
    ids_by_group = {}
    for client_id, group in enumerate(clients, start=1):
        ids_by_group.setdefault(group, []).append(client_id)
    # Who got which handover: every served/closed client one or more devices.
    assignment = {}
    owners = ids_by_group.get("served", []) + ids_by_group.get("closed", [])
    for i, plan in enumerate(served_plans):
        owner = owners[i] if i < len(owners) else rng.choice(owners) if owners else None
        assignment[id(plan)] = owner
    reserved_owners = ids_by_group.get("reserved", [])
    for i, plan in enumerate(reserved_plans):
        assignment[id(plan)] = (
            reserved_owners[i] if i < len(reserved_owners)
            else rng.choice(reserved_owners or owners)
        )  # fmt: skip
    eligible_owners = owners + reserved_owners + ids_by_group.get("waiting", [])
    for plan in closed_plans:
        assignment[id(plan)] = rng.choice(eligible_owners or owners)
    first_reservation = {}
    for plan in handover_plans:
        owner = assignment[id(plan)]
        if owner is not None:
            first_reservation[owner] = min(
                first_reservation.get(owner, plan["reserved_at"]), plan["reserved_at"]
            )
    required = [m for m in milestones if m.required]
    optional = [m for m in milestones if not m.required]
    municipality_codes = _municipality_codes()
    year_counts = {}
    client_objects = {}
    coach_of = {}
    for client_id, group in enumerate(clients, start=1):
        coach = coaches[(client_id - 1) % len(coaches)]
        coach_of[client_id] = coach
        reserved_at = first_reservation.get(client_id)
        eligible_on = reserved_at or now - datetime.timedelta(days=rng.randint(1, 300))
        created_at = eligible_on - datetime.timedelta(days=rng.randint(60, 200))
        year = timezone.localtime(created_at).year
        year_counts[year] = year_counts.get(year, 0) + 1
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        client = Client(
            id=client_id,
            code=f"AS-{year}-{year_counts[year]:04d}",
            name=f"{first} {last}",
            phone=f"040 {client_id:07d}",
            municipality_id=municipality_codes[rng.choice(MUNICIPALITIES)],
            coach_id=coach,
            service=rng.choice(list(Client.Service)),
            device_need=rng.choice(list(CATEGORY_WEIGHTS)),
            consent_date=timezone.localtime(created_at).date(),
            status=Status.COACHING,
            created_at=created_at,
        )
        sinks.add(_history(client, when=created_at, user_id=coach, kind="+"))
        done = list(required)
        if group == "partial":
            done = required[: rng.randint(0, len(required) - 1)]
        done += [m for m in optional if rng.random() < 0.5]
        step = (eligible_on - created_at) / (len(done) + 1)
        required_days = []
        for k, milestone in enumerate(done, start=1):
            record = ClientMilestone(
                client_id=client_id, milestone_id=milestone.pk, recorded_by_id=coach,
                completed_on=timezone.localtime(created_at + step * k).date(),
            )  # fmt: skip
            sinks.add(record)
            sinks.add(_history(record, when=created_at + step * k, user_id=coach, kind="+"))
            if milestone.required:
                required_days.append(record.completed_on)
        # As clients.eligibility keeps it: the day of the last required milestone, when all done.
        if len(required_days) == len(required):
            client.eligible_since = max(required_days, default=client.consent_date)
        client_objects[client_id] = (client, group)

    receipts = {}
    handover_id = 0
    device_user_column = sinks.index(Device.history.model, "history_user_id")
    for plan in handover_plans:
        owner = assignment[id(plan)]
        coach = coach_of[owner]
        handover_id += 1
        handover = Handover(
            id=handover_id, device_id=plan["device_id"], client_id=owner,
            status=Handover.Status.RESERVED, reserved_by_id=coach, reserved_at=plan["reserved_at"],
        )  # fmt: skip
        rows = [_history(handover, when=plan["reserved_at"], user_id=coach, kind="+")]
        readiness_rows = []
        for step, when in plan["steps"]:
            if step == "cancel":
                handover.status = Handover.Status.CANCELLED
                handover.cancelled_at = when
            elif step in ("gift", "loan"):
                year = timezone.localtime(when).year
                receipts[year] = receipts.get(year, 0) + 1
                handover.status = Handover.Status.HANDED_OVER
                handover.kind = step
                handover.handed_over_by_id = coach
                handover.handed_over_at = when
                handover.receipt_number = f"LK-{year}-{receipts[year]:05d}"
                # As clients.services requires: a complete checklist before every handover.
                readiness = HandoverReadiness(
                    handover_id=handover_id, checked_by_id=coach, checked_at=when,
                    **dict.fromkeys(HandoverReadiness.CHECK_FIELDS, True),
                )  # fmt: skip
                readiness_rows.append(readiness)
                if step == "loan":
                    handover.due_date = timezone.localtime(when).date() + datetime.timedelta(180)
            elif step == "return":
                handover.status = Handover.Status.RETURNED
                handover.returned_on = timezone.localtime(when).date()
                handover.return_condition = Device.Grade.B
            reason = {"cancel": "reservation cancelled", "return": "loan returned"}.get(step, step)
            rows.append(_history(handover, when=when, user_id=coach, reason=reason))
        for row in plan["device_history"]:
            row[device_user_column] = coach
            sinks.add_row(Device.history.model, row)
        if handover.status in Handover.OPEN_STATUSES:  # as clients.eligibility keeps it
            client_objects[owner][0].has_open_handover = True
        sinks.add(handover)
        for row in rows:
            sinks.add(row)
        for readiness in readiness_rows:
            sinks.add(readiness)  # numbered here, before its history row copies the id
            sinks.add(_history(readiness, when=readiness.checked_at, user_id=coach, kind="+"))

    # As clients.services does: a gift makes the client served; a loan does not.
    served_on = {}
    for plan in served_plans:
        step, when = plan["steps"][-1]
        if step == "gift":
            owner = assignment[id(plan)]
            served_on[owner] = min(served_on.get(owner, when), when)
    for client_id, (client, group) in client_objects.items():
        if group in ("served", "closed") and client_id in served_on:
            client.status = Status.SERVED
            sinks.add(
                _history(client, when=served_on[client_id], user_id=client.coach_id,
                         reason="device handed over as a gift")
            )  # fmt: skip
            if group == "closed":
                closed_at = served_on[client_id] + datetime.timedelta(days=30)
                client.status = Status.CLOSED
                client.closed_on = timezone.localtime(min(closed_at, now)).date()
                sinks.add(_history(client, when=min(closed_at, now), user_id=client.coach_id))
        elif group == "closed":
            client.status = Status.CLOSED
            client.closed_on = timezone.localdate()
            sinks.add(_history(client, when=now, user_id=client.coach_id))
        sinks.add(client)
    return {"client": year_counts, "handover_receipt": receipts}


def _seed_sequences(counts, batches_and_years, other_years):
    """Continue the running numbers after the seed, as the services would."""
    _batches, batch_years = batches_and_years
    rows = [YearlySequence(name="device", year=0, last_number=counts.devices)]
    rows += [YearlySequence(name="batch", year=y, last_number=n) for y, n in batch_years.items()]
    for name, years in other_years.items():
        rows += [YearlySequence(name=name, year=y, last_number=n) for y, n in years.items()]
    # This year's row of every yearly sequence, as a programme running for years has: the
    # first batch, client, receipt or certificate of a year would otherwise create it,
    # three queries more at a small scale than at a large one (query counts compared).
    this_year = reference_year()
    present = {(row.name, row.year) for row in rows}
    rows += [
        YearlySequence(name=name, year=this_year, last_number=0)
        for name in YEARLY_SEQUENCES
        if (name, this_year) not in present
    ]
    YearlySequence.objects.bulk_create(rows)


def _reset_sequences():
    from django.core.management.color import no_style

    models = [Donor, DonationBatch, Device, StorageMedium, Erasure, RefurbishmentCheck, Milestone,
              SupportPoint, Client, ClientMilestone, Handover, HandoverReadiness]  # fmt: skip
    models += [m.history.model for m in models]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
