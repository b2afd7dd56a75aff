"""The Fixometer factors per device category (reports/data/impact_factors.csv), read once.

Its own module because both the impact figures (reports.selectors.impact) and the stored
figures' rules (reports.figures_source, which ranks donors by the emissions their reused
devices avoided) need them, and the selectors import the figures' rules."""

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from devices.models import Device

FACTORS_FILE = Path(__file__).resolve().parent / "data" / "impact_factors.csv"

# restarters.net DISPLACEMENT_VALUE (.env.example; app/Helpers/LcaStats.php).
DISPLACEMENT = Decimal("0.5")

# The ranking counter stores avoided emissions in tenths of a gram: the factors have three
# decimals of a kilogram, halved, so every device's share is a whole number of them.
CO2E_UNITS_PER_KG = 10_000


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


def co2e_units(category):
    """Emissions one reused device of the category avoids, in CO2E_UNITS_PER_KG units."""
    units = impact_factors()[category].footprint_kgco2e * DISPLACEMENT * CO2E_UNITS_PER_KG
    return int(units.to_integral_value())
