"""The dashboard's top donors read off the stored counters' ranking index.

The donor tables show the 20 biggest donors; summing every donor's counters to find them
costs as much as the donors are many. Over all time (the dashboard's first view) a
donor-keyed counter holds one row per donor, and the index (metric, grain, prior, value)
gives its biggest values directly: the rows at or above the 20th biggest value, ties
included so that names can break them as the full figures do."""

from django.db.models import Subquery
from django.db.models.functions import Coalesce

from kierratys.figure_models import NONE_DAY, FigureCount


def all_time(filters):
    """Whether the filters name no days and no municipality: the ranking index applies."""
    return not (filters.date_from or filters.date_to or filters.municipality)


def _total_rows(metric):
    return FigureCount.objects.filter(
        metric=metric, grain=FigureCount.TOTAL, prior=NONE_DAY, value__gt=0
    )


def top_donor_ids(metric, limit):
    """The donors with the `limit` biggest all-time values, and any donor tied with the last
    of them (one query). A list, not a subquery: as a subquery PostgreSQL joined it to
    every donor's rows of the caller's query (200 ms at 500 donors) instead of reading the
    few ids first."""
    rows = _total_rows(metric)
    threshold = rows.order_by("-value").values("value")[limit - 1 : limit]
    top = rows.filter(value__gte=Coalesce(Subquery(threshold), 1))
    return list(top.values_list("donor_id", flat=True))


def donors_with(metric):
    """How many donors have an all-time value of the metric (one query, on the index)."""
    return _total_rows(metric).count()


def of_donors(total_rows, donor_ids):
    """All-time counter rows of the donors named (top_donor_ids).

    Over all time a donor-keyed row has no day and no municipality: saying so lets the
    database find the donors' rows by the counters' key (metric, grain, day, municipality,
    donor) rather than read every donor's rows of the metric and keep the few named."""
    return total_rows.filter(day=NONE_DAY, municipality="", donor_id__in=donor_ids)
