"""The all-time counters of the dashboard's small figures, read in one query.

Over all time, without a municipality (the dashboard's first view), the device states,
handovers per municipality and service, erasure attempts, client stages and the impact
per municipality are each a few dozen all-time counter rows: one query reads them all
(about 300 rows at national scale, however big the programme), where a query per figure
cost more in building the queries than in reading them. The figures' functions take the
rows from here when given them (totals=...) and sum them as their own query would."""

from collections import defaultdict

from kierratys.figure_models import NONE_DAY, FigureCount
from reports import figures_source as keys
from reports.selectors import ranking

METRICS = (keys.STATUS, keys.HANDOVER, keys.ERASURE, keys.STAGE, keys.REUSED, keys.HANDED_M)


class AllTimeTotals:
    def __init__(self, rows):
        self._by_metric = defaultdict(list)
        for row in rows:
            self._by_metric[row.metric].append(row)
        self._labels = None

    def summed(self, metrics, *columns, first_only=False):
        """{column values: sum of value} over the metrics' rows, as dashboard.summed gives;
        first_only: only the rows of an entity's first event (prior_before(None))."""
        sums = {}
        for metric in (metrics,) if isinstance(metrics, str) else metrics:
            for row in self._by_metric[metric]:
                if first_only and row.prior != NONE_DAY:
                    continue
                key = tuple(getattr(row, column) for column in columns)
                key = key if len(columns) > 1 else key[0]
                sums[key] = sums.get(key, 0) + row.value
        return sums

    def municipality_labels(self, label_query):
        """code -> name for every municipality in the rows, asked once of label_query."""
        if self._labels is None:
            self._labels = label_query(
                {row.municipality for rows in self._by_metric.values() for row in rows}
            )
        return self._labels


def all_time_totals(filters):
    """The rows for the filters (one query), or None when they name days or a municipality:
    then each figure reads its own counters."""
    if not ranking.all_time(filters):
        return None
    rows = FigureCount.objects.filter(grain=FigureCount.TOTAL, metric__in=METRICS).values_list(
        "metric", "municipality", "category", "prior", "value", named=True
    )
    return AllTimeTotals(rows.order_by())
