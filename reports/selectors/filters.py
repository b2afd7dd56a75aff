"""The report filter (date range and municipality) and the months a report covers."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Q,
)
from django.utils import timezone

from clients.models import Municipality
from clients.selectors import municipalities_by_name
from kierratys.figure_models import FigureCount
from reports.figures_source import STAGE


@dataclass(frozen=True)
class ReportFilter:
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    municipality: str = ""  # a municipality's code (clients.Municipality); "" for all

    def bounds(self):
        """The range as aware datetimes [start, end) in the current time zone."""
        start = end = None
        if self.date_from:
            start = timezone.make_aware(datetime.datetime.combine(self.date_from, datetime.time()))
        if self.date_to:
            next_day = self.date_to + datetime.timedelta(days=1)
            end = timezone.make_aware(datetime.datetime.combine(next_day, datetime.time()))
        return start, end

    def in_range(self, field_name):
        """A Q limiting `field_name` (a datetime) to the range."""
        start, end = self.bounds()
        q = Q()
        if start:
            q &= Q(**{f"{field_name}__gte": start})
        if end:
            q &= Q(**{f"{field_name}__lt": end})
        return q

    def in_municipality(self, client_path):
        if not self.municipality:
            return Q()
        return Q(**{f"{client_path}municipality": self.municipality})


MONTHS_DEFAULT = 12  # months charted without a start day


MONTHS_MAX = 60  # a longer range charts its latest five years


def month_window(filters):
    """The first days of the charted months, oldest first, plus the day after the last one."""
    last = (filters.date_to or timezone.localdate()).replace(day=1)
    index = last.year * 12 + last.month - 1
    count = MONTHS_DEFAULT
    if filters.date_from:
        count = index - (filters.date_from.year * 12 + filters.date_from.month - 1) + 1
    count = max(1, min(count, MONTHS_MAX))
    return [datetime.date(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 2)]


def start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def municipalities():
    """Every municipality with clients, sorted by name, for the filter (one query).

    Read from the stored client stages (one counter per municipality and stage), not the
    clients themselves: the same municipalities, however many clients there are."""
    stages = FigureCount.objects.filter(metric=STAGE, grain=FigureCount.TOTAL, value__gt=0)
    return municipalities_by_name(Municipality.objects.filter(pk__in=stages.values("municipality")))
