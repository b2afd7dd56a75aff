"""Stored programme figures: counters kept in the same transaction as the change that moves them.

Why: the coordinators' dashboard summed a dozen aggregates over the whole programme on
each request, so it grew with the number of devices. Now it sums counters whose number
depends on the calendar (days and months charted) and on the few keys a figure is split
by (status, municipality, donor), never on how many devices or clients there are.

How:
- A *source* (registered by the reports app, which knows devices and clients; kierratys
  imports no app) turns entities into their *contribution*: the counter keys
  (metric, day, donor, municipality, category, prior day) each device or client adds,
  e.g. a device taken in on 3.2. adds ("received", 3.2., its donor) and one handed over
  11 days after intake adds ("handover_days", that day, its municipality, "11").
- `figures_refresh(devices=..., clients=..., batches=...)` is the one-line hook a service
  calls inside its transaction after the change: it computes the entities' contributions
  now (a constant number of queries for any number of entities), compares them with the
  ones last applied (FigureContribution) and adds the difference to FigureCount. A hook
  called twice, or for an entity that did not change, adds nothing; a hook forgotten is
  caught by `manage.py check_figures` (and repaired by the next refresh of that entity).
- Each key is counted at three grains: its day, its month and all time, so that a date
  range is summed from month rows plus day rows of the partial first and last month
  (`period_q`), and the unfiltered dashboard from the all-time rows.
- The counters a change moves are locked in key order (SELECT ... FOR UPDATE ORDER BY id,
  so two transactions never wait on each other crosswise), updated in one bulk UPDATE, and
  the missing ones inserted in a savepoint (a concurrent insert of the same key falls back
  to an UPDATE with F() per key). The all-time counters are hot rows: transactions moving
  the same figure queue on them for the rest of their (short) transaction.
- Every change of the counters first gives the stamp (FigureStamp) a new random token,
  so what is computed from the figures can be kept until they change (the dashboard's
  figures: reports.dashboard_cache). The stamp is locked before any counter: figure
  changes queue on it, one at a time, for the rest of their short transactions; the
  counters' own order then never matters.
"""

import datetime
import secrets
from collections import Counter

from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum

from kierratys.figure_models import NONE_DAY, FigureContribution, FigureCount, FigureStamp

EARLIER = datetime.date(1, 1, 2)  # an all-time row's prior: the entity had an earlier event

GRAINS = (FigureCount.DAY, FigureCount.MONTH, FigureCount.TOTAL)
COUNT_FIELDS = ("metric", "grain", "day", "donor_id", "municipality", "category", "prior")

_sources = []


def register_source(source):
    """source(devices=set, clients=set, batches=set, every_client=bool) -> {(kind, id): rows}.

    rows: a list of [metric, day (ISO or ""), donor id (0 none), municipality code, category,
    prior day (ISO or ""), value], every entity named in the answer (an entity that no longer
    exists answers with no rows)."""
    if source not in _sources:
        _sources.append(source)


_rebuilders = []


def register_rebuild(rebuild):
    """rebuild() replaces every counter with what the live data says (the reports app's)."""
    if rebuild not in _rebuilders:
        _rebuilders.append(rebuild)


def figures_rebuild_all():
    """Rebuild every counter from the data, after writes that bypass the services on
    purpose (the demo's story clock dates its records in the past)."""
    for rebuild in _rebuilders:
        rebuild()


def _contributions(**entities):
    found = {}
    for source in _sources:
        found.update(source(**entities))
    return found


def _key(row):
    return tuple(row[:6])


def _counter(rows):
    counts = Counter()
    for row in rows:
        counts[_key(row)] += row[6]
    return counts


def figures_refresh(*, devices=(), clients=(), batches=(), every_client=False):
    """Bring the stored figures up to date with these entities (call inside the transaction)."""
    devices, clients, batches = set(devices), set(clients), set(batches)
    if not (devices or clients or batches or every_client):
        return
    with transaction.atomic():
        now = _contributions(
            devices=devices, clients=clients, batches=batches, every_client=every_client
        )
        by_source = {}
        for kind, entity_id in now:
            by_source.setdefault(kind, []).append(entity_id)
        query = Q(pk__in=[])
        for kind, ids in by_source.items():
            query |= Q(source=kind, entity_id__in=ids)
        stored = {
            (row.source, row.entity_id): row
            for row in FigureContribution.objects.select_for_update().filter(query).order_by("pk")
        }
        delta = Counter()
        for entity, rows in now.items():
            delta.update(_counter(rows))
            if entity in stored:
                delta.subtract(_counter(stored[entity].rows))
        _apply(delta)
        _store_contributions(now, stored)


def _store_contributions(now, stored):
    changed, created, emptied = [], [], []
    for (kind, entity_id), rows in now.items():
        row = stored.get((kind, entity_id))
        if row is None:
            if rows:
                created.append(FigureContribution(source=kind, entity_id=entity_id, rows=rows))
        elif not rows:
            emptied.append(row.pk)
        elif _counter(row.rows) != _counter(rows):
            row.rows = rows
            changed.append(row)
    if created:
        FigureContribution.objects.bulk_create(created, batch_size=1000)
    if changed:
        FigureContribution.objects.bulk_update(changed, ["rows"], batch_size=1000)
    if emptied:
        FigureContribution.objects.filter(pk__in=emptied).delete()


def _day(value):
    return datetime.date.fromisoformat(value) if value else NONE_DAY


def expand(key):
    """One contribution key -> its counter keys at every grain (a snapshot has only all time)."""
    metric, day, donor_id, municipality, category, prior = key
    base = {
        "metric": metric,
        "donor_id": donor_id,
        "municipality": municipality,
        "category": category,
        "prior": _day(prior),
    }
    # All time is read only without a range, where "once per entity" asks only whether
    # there was an earlier event: any prior day is one value there (fewer rows to sum).
    total_prior = NONE_DAY if not prior else EARLIER
    yield {**base, "grain": FigureCount.TOTAL, "day": NONE_DAY, "prior": total_prior}
    if day:
        day = _day(day)
        yield {**base, "grain": FigureCount.MONTH, "day": day.replace(day=1)}
        yield {**base, "grain": FigureCount.DAY, "day": day}


def _expanded(delta):
    counts = Counter()
    for key, value in delta.items():
        if value:
            for fields in expand(key):
                counts[tuple(sorted(fields.items()))] += value
    return {key: value for key, value in counts.items() if value}


def _apply(delta):
    """Add the deltas to their counters: locked (in key order), read and written in bulk."""
    counts = _expanded(delta)
    if not counts:
        return
    figures_restamp()
    query = Q(pk__in=[])
    for fields in counts:
        query |= Q(**dict(fields))
    existing = {
        tuple(sorted((name, getattr(row, name)) for name in COUNT_FIELDS)): row
        # Locked in key order, as every transaction locks them: no deadlock between two.
        for row in FigureCount.objects.select_for_update().filter(query).order_by("pk")
    }
    changed, missing = [], {}
    for fields, value in counts.items():
        row = existing.get(fields)
        if row is None:
            missing[fields] = value
        else:
            row.value += value
            changed.append(row)
    if changed:
        FigureCount.objects.bulk_update(changed, ["value"])
    if missing:
        try:
            with transaction.atomic():
                FigureCount.objects.bulk_create(
                    [FigureCount(**dict(fields), value=value) for fields, value in missing.items()]
                )
        except IntegrityError:  # one inserted meanwhile: one key at a time
            for fields, value in missing.items():
                _add(dict(fields), value)


def _add(fields, value):
    figures_restamp()
    if FigureCount.objects.filter(**fields).update(value=F("value") + value):
        return
    try:
        with transaction.atomic():
            FigureCount.objects.create(**fields, value=value)
    except IntegrityError:  # inserted meanwhile by a concurrent transaction
        FigureCount.objects.filter(**fields).update(value=F("value") + value)


def figure_add(*, metric, day=None, delta=1, donor_id=0, municipality="", category="", prior=None):
    """Add `delta` to one figure at each of its grains (for changes outside any source)."""
    key = (
        metric,
        day.isoformat() if day else "",
        donor_id or 0,
        municipality or "",
        category or "",
        prior.isoformat() if prior else "",
    )
    _apply(Counter({key: delta}))


def figures_replace(contributions, *, rules):
    """Replace every stored figure with these contributions ({(kind, id): rows}), in bulk;
    rules: the version of the rules that made them (FigureStamp.rules)."""
    with transaction.atomic():
        figures_restamp(rules=rules)
        FigureCount.objects.all().delete()
        FigureContribution.objects.all().delete()
        FigureCount.objects.bulk_create(
            (
                FigureCount(**dict(key), value=value)
                for key, value in counts_of(contributions).items()
            ),
            batch_size=2000,
        )
        FigureContribution.objects.bulk_create(
            (
                FigureContribution(source=kind, entity_id=entity_id, rows=rows)
                for (kind, entity_id), rows in contributions.items()
                if rows
            ),
            batch_size=2000,
        )


def figures_restamp(*, rules=None):
    """A new token for the stamp (locked till the transaction ends): what the figures show
    changes. Called by every change of the counters, and by a change of a name they show."""
    fields = {"token": secrets.randbits(62)}
    if rules is not None:
        fields["rules"] = rules
    if not FigureStamp.objects.filter(pk=1).update(**fields):
        try:
            with transaction.atomic():
                FigureStamp.objects.create(pk=1, **fields)
        except IntegrityError:  # created meanwhile by a concurrent first change
            FigureStamp.objects.filter(pk=1).update(**fields)


def figures_rules():
    """The rules version the stored figures were built by (0: unknown, before versions)."""
    return FigureStamp.objects.filter(pk=1).values_list("rules", flat=True).first() or 0


def figures_stamp():
    """The stamp's token now (one query); None before the figures ever changed."""
    return FigureStamp.objects.filter(pk=1).values_list("token", flat=True).first()


def _next_month(day):
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def period_q(date_from=None, date_to=None):
    """Counter rows covering the days [date_from, date_to] (None: unbounded), each day once.

    Whole months come from month rows, the partial first and last month from day rows,
    and no range at all from the all-time rows."""
    if date_from is None and date_to is None:
        return Q(grain=FigureCount.TOTAL)
    if date_from and date_to and date_from > date_to:
        return Q(pk__in=[])
    first_full = date_from if date_from is None or date_from.day == 1 else _next_month(date_from)
    end_month = last_full_end = None
    if date_to is not None:
        end_month = date_to.replace(day=1)
        ends_month = (date_to + datetime.timedelta(days=1)).day == 1
        last_full_end = _next_month(end_month) if ends_month else end_month
    # Months m with first_full <= m < last_full_end are whole; the rest come by day.
    months = Q(grain=FigureCount.MONTH)
    if first_full is not None:
        months &= Q(day__gte=first_full)
    if last_full_end is not None:
        months &= Q(day__lt=last_full_end)
    if first_full is not None and last_full_end is not None and first_full >= last_full_end:
        return _days(date_from, date_to)
    query = months
    if date_from is not None and first_full != date_from:
        query |= _days(date_from, first_full - datetime.timedelta(days=1))
    if date_to is not None and last_full_end == end_month:
        query |= _days(end_month, date_to)
    return query


def _days(start, end):
    query = Q(grain=FigureCount.DAY, day__gt=NONE_DAY)
    if start is not None:
        query &= Q(day__gte=start)
    if end is not None:
        query &= Q(day__lte=end)
    return query


def prior_before(date_from):
    """Distinct counting: an event counts when the entity had none earlier in the range."""
    if date_from is None:
        return Q(prior=NONE_DAY)
    return Q(prior__lt=date_from)


def counts_of(contributions):
    """{counter key (field, value pairs): value} the contributions add up to, zeros left out."""
    total = Counter()
    for rows in contributions.values():
        total.update(_counter(rows))
    return _expanded(total)


def stored_counts():
    """The stored counters in counts_of's form, zeros left out (one query)."""
    return {
        tuple(sorted(zip(COUNT_FIELDS, row[:-1], strict=True))): row[-1]
        for row in FigureCount.objects.exclude(value=0).values_list(*COUNT_FIELDS, "value")
    }


def stored_total(metric, **categories):
    """The all-time sum of a metric's counters (in `categories`, e.g. category="ready"): how
    many entities there are, kept in the same transaction as every change, without COUNT(*)
    reading every row (one query)."""
    counters = FigureCount.objects.filter(metric=metric, grain=FigureCount.TOTAL, **categories)
    return counters.aggregate(total=Sum("value"))["total"] or 0
