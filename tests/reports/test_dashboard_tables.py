"""The dashboard's table rows and its median, built outside the template engine, show
what the template showed: values escaped, numbers as |floatformat:1 rounds them in the
reader's language, the middle of the stored histogram as the sorted values have it."""

import random
import statistics
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.template.defaultfilters import floatformat
from django.utils import translation

from kierratys.figure_models import FigureCount
from kierratys.figures import figure_add
from reports import tables
from reports.selectors.impact import Impact
from reports.selectors.median import histogram_median

VALUES = ["0.05", "0.15", "2.25", "2.35", "1234.45", "0", "999999.95", "7"]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_decimals_round_and_read_as_floatformat_shows_them(language):
    rows = [Impact(label=value, devices=1, ewaste_kg=Decimal(value), co2e_kg=Decimal(value))
            for value in VALUES]  # fmt: skip
    with translation.override(language):
        html = tables.impact_rows(rows)
        for value in VALUES:
            shown = floatformat(Decimal(value), 1)
            assert f'<td class="num">{shown}</td><td class="num">{shown}</td>' in html
    assert ("," in html) == (language != "en")


def test_labels_and_names_are_escaped():
    row = Impact(label='<script>alert("x")</script> & Co', devices=2)
    html = tables.impact_rows([row])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in html


def test_an_empty_table_says_so_across_its_columns():
    with translation.override("fi"):
        assert tables.impact_rows([]) == (
            '<tr><td colspan="4" class="muted">Ei luovutuksia.</td></tr>'
        )


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(12))
def test_the_median_of_the_stored_histogram_is_that_of_its_values(seed):
    generator = random.Random(seed)
    values = [generator.choice([0, 1, 3, 7, 30, 31, 365]) for _ in range(generator.randint(1, 9))]
    for days in values:
        figure_add(metric="test_days", category=str(days))
    histogram = (
        FigureCount.objects.filter(metric="test_days", grain=FigureCount.TOTAL)
        .values_list("category")
        .annotate(n=Sum("value"))
    )
    median, count = histogram_median(histogram)
    assert (median, count) == (round(statistics.median(values), 1), len(values))
    assert type(count) is int  # a plural form's number ("3 luovutusta"), on every database


@pytest.mark.django_db
def test_an_empty_histogram_has_no_median():
    histogram = (
        FigureCount.objects.filter(metric="test_days")
        .values_list("category")
        .annotate(n=Sum("value"))
    )
    assert histogram_median(histogram) == (None, 0)
