"""Finland's municipalities (Statistics Finland's classification, clients/data/municipalities.csv)
and matching names people typed to them.

Plain functions on plain data and on whatever model class they are given, so
that the data migrations can call them with historical models and the tests
without a database.
"""

import csv
from collections import Counter
from pathlib import Path

MUNICIPALITIES_CSV = Path(__file__).resolve().parent / "data" / "municipalities.csv"

# Finnish and Swedish both end the alphabet in å, ä, ö after z; code point order
# would put ä before å and all three after every other letter only by luck.
_ALPHABET_END = str.maketrans({"å": "z{", "ä": "z|", "ö": "z}"})


def read_municipalities(path=MUNICIPALITIES_CSV):
    """The (code, name_fi, name_sv) rows of the classification file, in file order."""
    with open(path, encoding="utf-8", newline="") as file:
        return [(row["code"], row["name_fi"], row["name_sv"]) for row in csv.DictReader(file)]


def load_municipalities(municipality_model, path=MUNICIPALITIES_CSV):
    """Bring the municipality table in line with the file (an upsert by code); returns the count."""
    rows = read_municipalities(path)
    municipality_model.objects.bulk_create(
        [municipality_model(code=code, name_fi=fi, name_sv=sv) for code, fi, sv in rows],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name_fi", "name_sv"],
    )
    return len(rows)


def name_key(name):
    """A name as compared: spaces around and doubled inside dropped, case folded."""
    return " ".join((name or "").split()).casefold()


def collation_key(name):
    """Sort key for names in Finnish or Swedish alphabetical order (å, ä, ö after z)."""
    return name.casefold().translate(_ALPHABET_END)


def match_municipalities(values, municipalities):
    """Match typed municipality names to codes, by the Finnish or the Swedish name.

    `values` holds one typed value per row (repeats count); `municipalities` the
    (code, name_fi, name_sv) rows. Only whole names match, in any case and with
    any surrounding spaces: "Tampereen kaupunki" is not guessed to be Tampere.
    Returns (codes, unmatched): typed value -> code for the values that name a
    municipality, and a Counter of the values that do not, with their row counts.
    """
    lookup = {}
    for code, name_fi, name_sv in municipalities:
        lookup[name_key(name_fi)] = code
        lookup[name_key(name_sv)] = code
    codes, unmatched = {}, Counter()
    for value in values:
        code = lookup.get(name_key(value))
        if code is None:
            unmatched[value] += 1
        else:
            codes[value] = code
    return codes, unmatched


def unmatched_report(label, unmatched):
    """Lines naming each value that matched no municipality and how many rows hold it."""
    return [
        f"{label}: {value!r} matched no municipality ({count} rows); kept as municipality_text"
        for value, count in sorted(unmatched.items(), key=lambda item: (-item[1], item[0]))
    ]
