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
"""

import csv
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.db.models import Count
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from clients.municipality_models import MUNICIPALITY_TO_CHECK
from devices.models import Device
from reports.selectors.dashboard import DONORS_SHOWN, handed_over_handovers

FACTORS_FILE = Path(__file__).resolve().parent.parent / "data" / "impact_factors.csv"

# restarters.net DISPLACEMENT_VALUE (.env.example; app/Helpers/LcaStats.php).
DISPLACEMENT = Decimal("0.5")

IMPACT_METHOD = _(
    "Restart Projectin Fixometer-menetelmä: uudelleenkäyttöön luovutettu laite (lahja tai "
    "laina) välttää laiteluokkansa keskipainon verran sähköromua, ja vältetyt päästöt ovat "
    "laiteluokan valmistuksen hiilijalanjälki (kg CO2e) kerrottuna syrjäytyskertoimella 0,5. "
    "Luokkakohtaiset luvut: The Restart Project, restarters.net, päivitys 2021."
)


@dataclass(frozen=True)
class ImpactFactor:
    category: str
    source_category: str
    weight_kg: Decimal
    footprint_kgco2e: Decimal


@cache
def impact_factors():
    """Device category -> its Fixometer factors, read once from the data file."""
    with FACTORS_FILE.open(encoding="utf-8", newline="") as file:
        factors = {
            row["category"]: ImpactFactor(
                category=row["category"],
                source_category=row["restart_category"],
                weight_kg=Decimal(row["weight_kg"]),
                footprint_kgco2e=Decimal(row["footprint_kgco2e"]),
            )
            for row in csv.DictReader(file)
        }
    missing = set(Device.Category.values) - set(factors)
    if missing:
        raise ValueError(f"{FACTORS_FILE} has no factors for {sorted(missing)}")
    return factors


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


def _reused(filters, donor=None):
    handovers = handed_over_handovers(filters).order_by()
    if donor is not None:
        handovers = handovers.filter(device__batch__donor=donor)
    return handovers


def _grouped(rows):
    """[(group key, label, category, device count)] -> one Impact per group, biggest first."""
    groups = {}
    for key, label, category, count in rows:
        groups.setdefault(key, Impact(label=label)).add(category, count)
    return sorted(groups.values(), key=lambda row: (-row.co2e_kg, row.label))


def impact_total(filters, donor=None):
    """Devices reused in the range (optionally one donor's) and what they avoided (one query)."""
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
    """[(municipality code, its name in the active language, category, devices)] (one query)."""
    swedish = (get_language() or "fi")[:2] == "sv"
    rows = handovers.values_list(
        "client__municipality",
        "client__municipality__name_fi",
        "client__municipality__name_sv",
        "device__category",
    ).annotate(n=Count("device", distinct=True))
    for code, name_fi, name_sv, category, count in rows:
        # A client whose municipality typed before the list named none has no code yet.
        label = (name_sv if swedish else name_fi) if code else str(MUNICIPALITY_TO_CHECK)
        yield code, label, category, count


def impact_figures(filters):
    """Impact in total, per municipality and per donor for the dashboard's filters (3 queries)."""
    handovers = _reused(filters)
    by_donor = handovers.values_list(
        "device__batch__donor_id", "device__batch__donor__name", "device__category"
    ).annotate(n=Count("device", distinct=True))
    return ImpactFigures(
        total=impact_total(filters),
        by_municipality=_grouped(_municipality_rows(handovers)),
        by_donor=_grouped(by_donor),
    )
