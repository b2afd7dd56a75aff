"""Environmental impact of reuse for funders: devices reused, e-waste and CO2e avoided.

The Restart Project's Fixometer method (displacement): each reused device avoids
its category's average weight of e-waste, and half (the displacement factor) of
its category's manufacturing footprint, on the assumption that half of reused
devices stand in for a new purchase. The per-category figures are data in
reports/data/impact_factors.csv, with their source in the README beside it.

A device counts as reused when it reached a client in the period, as a gift or
as a loan: a loaned device is in a resident's daily use in place of one bought
new, just as a gift is. A device handed over twice in one period (a loan that
came back and went out again) counts once, as on the dashboard's donor table.

The figures are sums of stored counters (see reports.selectors.dashboard); the live
computation they equal is in reports.selectors.live.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kierratys.figures import prior_before
from reports import figures_source as keys
from reports.impact_factors import DISPLACEMENT, impact_factors
from reports.selectors import ranking
from reports.selectors.dashboard import (
    DONORS_SHOWN,
    counters,
    donor_names,
    in_municipality,
    in_municipality_key,
    municipality_labels,
    summed,
)

IMPACT_METHOD = _(
    "Restart Projectin Fixometer-menetelmä: uudelleenkäyttöön luovutettu laite (lahja tai "
    "laina) välttää laiteluokkansa keskipainon verran sähköromua, ja vältetyt päästöt ovat "
    "laiteluokan valmistuksen hiilijalanjälki (kg CO2e) kerrottuna syrjäytyskertoimella 0,5. "
    "Luokkakohtaiset luvut: The Restart Project, restarters.net, päivitys 2021."
)


@dataclass
class Impact:
    """Devices reused and what their reuse avoided; `label` names the municipality or donor."""

    label: str = ""
    devices: int = 0
    ewaste_kg: Decimal = Decimal(0)
    co2e_kg: Decimal = Decimal(0)

    def add(self, category, count):
        factor = impact_factors()[category]
        self.devices += count
        self.ewaste_kg += factor.weight_kg * count
        self.co2e_kg += factor.footprint_kgco2e * DISPLACEMENT * count


@dataclass
class ImpactFigures:
    total: Impact = field(default_factory=Impact)
    by_municipality: list = field(default_factory=list)
    by_donor: list = field(default_factory=list)
    method: str = IMPACT_METHOD

    @property
    def top_donors(self):
        """The donors whose devices avoided the most, for the dashboard (the PDF lists all)."""
        return self.by_donor[:DONORS_SHOWN]


def grouped(rows):
    """[(group key, label, category, device count)] -> one Impact per group, biggest first."""
    groups = {}
    for key, label, category, count in rows:
        if count:
            groups.setdefault(key, Impact(label=label)).add(category, count)
    return sorted(groups.values(), key=lambda row: (-row.co2e_kg, row.label))


def _reused(filters, metric, metric_m, donor=None):
    """Counter rows of devices reused in the range, each device once (see dashboard)."""
    rows = counters(filters).filter(
        in_municipality(filters, metric, metric_m), prior_before(filters.date_from)
    )
    if donor is not None:
        rows = rows.filter(donor_id=donor.pk)
    return rows


def impact_total(filters, donor=None):
    """Devices reused in the range (optionally one donor's) and what they avoided (one query)."""
    metric_m = keys.HANDED_MD if donor is not None else keys.HANDED_M
    total = Impact()
    for category, count in summed(
        _reused(filters, keys.HANDED, metric_m, donor), "category"
    ).items():
        if count:
            total.add(category, count)
    return total


def impact_figures(filters, *, every_donor=True, totals=None):
    """Impact in total, per municipality and per donor for the dashboard's filters (3 queries).

    every_donor=False (the dashboard page) over all time: `by_donor` holds the top donors
    only, read off the ranking index (top_impact_figures). Otherwise one sum of the
    counters (per municipality, and per donor within the filters' municipality, each device
    once per group) and the groups' names; the total is the sum
    of the donors' rows (a device has one donor, but may have been in two municipalities).
    totals: the all-time counters already read (reports.selectors.totals), or None."""
    if not every_donor and ranking.all_time(filters):
        return top_impact_figures(filters, totals=totals)
    once = prior_before(filters.date_from)
    rows = summed(
        counters(filters).filter(
            (Q(metric=keys.HANDED_M, **in_municipality_key(filters)) & once)
            | (in_municipality(filters, keys.HANDED, keys.HANDED_MD) & once)
        ),
        "metric",
        "municipality",
        "donor_id",
        "category",
    )
    by_municipality, by_donor, total = {}, {}, Impact()
    for (metric, code, donor_id, category), n in rows.items():
        if metric == keys.HANDED_M:
            by_municipality[code, category] = by_municipality.get((code, category), 0) + n
        else:
            by_donor[donor_id, category] = by_donor.get((donor_id, category), 0) + n
            if n:
                total.add(category, n)
    return _named(total, by_municipality, by_donor)


def top_impact_figures(filters, limit=DONORS_SHOWN, totals=None):
    """impact_figures over all time with the `limit` donors whose reused devices avoided the
    most emissions (five queries however many donors, names included): the total from the
    `reused` counters (per category, no donor), the donors ranked by their `reused_co2e`
    counters (ties with the last one included, then cut by grouped's order)."""
    once = prior_before(None)
    if totals:
        rows = totals.summed(
            (keys.REUSED, keys.HANDED_M), "metric", "municipality", "category", first_only=True
        )
    else:
        rows = summed(
            counters(filters).filter(once, Q(metric=keys.REUSED) | Q(metric=keys.HANDED_M)),
            "metric",
            "municipality",
            "category",
        )
    total, by_municipality = Impact(), {}
    for (metric, code, category), n in rows.items():
        if metric == keys.REUSED:
            if n:
                total.add(category, n)
        else:
            by_municipality[code, category] = n
    top = ranking.top_donor_ids(keys.REUSED_CO2E, limit)
    by_donor = summed(
        ranking.of_donors(counters(filters).filter(once, metric=keys.HANDED), top),
        "donor_id",
        "category",
    )
    return _named(total, by_municipality, by_donor, limit=limit, totals=totals)


def _named(total, by_municipality, by_donor, limit=None, totals=None):
    """ImpactFigures from {(code, category): n} and {(donor_id, category): n}, with the
    municipalities' labels (from totals when given) and the donors' names (two queries);
    by_donor cut to `limit`."""
    if totals:
        labels = totals.municipality_labels(municipality_labels)
    else:
        labels = municipality_labels({code for code, _category in by_municipality})
    names = donor_names({donor_id for donor_id, _category in by_donor})
    return ImpactFigures(
        total=total,
        by_municipality=grouped(
            (code, labels.get(code, code), category, n)
            for (code, category), n in by_municipality.items()
        ),
        by_donor=grouped(
            (donor_id, names.get(donor_id, ""), category, n)
            for (donor_id, category), n in by_donor.items()
        )[:limit],
    )
