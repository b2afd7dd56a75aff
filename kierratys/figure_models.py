"""The stored programme figures (see kierratys.figures): counters and what each entity added."""

import datetime

from django.db import models

NONE_DAY = datetime.date(1, 1, 1)  # "no day": a total row's day, an event's prior day when none


class FigureCount(models.Model):
    """One counter: a metric's value for one key, at one grain (day, month or all time).

    Keys are plain values (a donor's id as an integer, a municipality's code), never
    foreign keys: kierratys knows no other app. Every key column is non-null, so the
    unique constraint holds (NONE_DAY and 0 stand for "none").
    """

    DAY, MONTH, TOTAL = "d", "m", "t"

    metric = models.CharField(max_length=32)
    grain = models.CharField(max_length=1)
    day = models.DateField()
    donor_id = models.PositiveIntegerField(default=0)
    municipality = models.CharField(max_length=16, blank=True, default="")
    category = models.CharField(max_length=32, blank=True, default="")
    prior = models.DateField(default=NONE_DAY)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                # The municipality before the donor: a municipality's rows are one index range.
                fields=["metric", "grain", "day", "municipality", "donor_id", "category", "prior"],
                name="figure_count_key",
            ),
        ]
        indexes = [
            # The biggest all-time values of a donor-keyed metric (the dashboard's top donors)
            # read off the index's end, however many donors there are.
            models.Index(fields=["metric", "grain", "prior", "value"], name="figure_count_rank"),
        ]

    def __str__(self):
        return f"{self.metric} {self.grain} {self.day}: {self.value}"


class FigureContribution(models.Model):
    """The counter keys one entity (a device, a client) adds, as last applied to FigureCount."""

    source = models.CharField(max_length=16)
    entity_id = models.PositiveBigIntegerField()
    rows = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "entity_id"], name="figure_contribution_key"),
        ]

    def __str__(self):
        return f"{self.source} {self.entity_id}"


class FigureStamp(models.Model):
    """One row whose token changes, to a new random value, with every change of the figures.

    What was computed from the figures at one token (the dashboard's figures,
    reports.dashboard_cache) holds until the token changes. Random rather than a
    counter: a rolled-back change leaves the token as it was, and the next change can
    never bring back a token under which other figures were seen."""

    token = models.BigIntegerField()
    # The version of the figures' rules (the source's RULES) the counters were built by:
    # a migrate that finds another rebuilds them (reports.figures_source.fill_after_migrate).
    rules = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"figures at {self.token} (rules {self.rules})"
