"""Are the stored dashboard figures those of the live data? (manage.py check_figures, tests)

The stored eligibility the stages read (Client.eligible_since, clients.eligibility_check)
is checked too. Two comparisons of the figures: every stored counter against the
counters the live data adds up to (reports.figures_source), and the dashboard's figures
(stored) against the live aggregates they replaced (reports.selectors.live) for a few
filters."""

import datetime
from dataclasses import asdict

from django.db import transaction
from django.utils import timezone

from clients.eligibility import eligibility_refresh_all
from clients.eligibility_check import eligibility_drift
from kierratys import figures
from kierratys.figure_models import FigureContribution
from reports import figures_source
from reports.selectors import dashboard, impact, live
from reports.selectors.filters import ReportFilter
from reports.selectors.totals import all_time_totals


def counter_drift(contributions=None):
    """[(counter key, stored, live)] for every counter whose stored value is not the live one."""
    contributions = contributions or figures_source.live_contributions()
    expected = figures.counts_of(contributions)
    stored = figures.stored_counts()
    return [
        (dict(key), stored.get(key, 0), expected.get(key, 0))
        for key in sorted(set(expected) | set(stored), key=str)
        if stored.get(key, 0) != expected.get(key, 0)
    ]


def entity_drift(contributions=None):
    """[(kind, id)] whose stored contribution is not what the live data gives."""
    contributions = contributions or figures_source.live_contributions()
    stored = {
        (row.source, row.entity_id): row.rows for row in FigureContribution.objects.iterator()
    }
    return sorted(
        entity
        for entity in set(contributions) | set(stored)
        if sorted(map(tuple, contributions.get(entity, [])))
        != sorted(map(tuple, stored.get(entity, [])))
    )


def default_filters(today=None):
    """The dashboard's filters the check compares: none, this year, the last 30 days."""
    today = today or timezone.localdate()
    return [
        ReportFilter(),
        ReportFilter(date_from=today.replace(month=1, day=1), date_to=today),
        ReportFilter(date_from=today - datetime.timedelta(days=30)),
    ]


def figures_of(module, filters):
    """The dashboard's and impact's figures for the filters as plain data, to compare."""
    impact_module = live if module is live else impact
    figures = module.dashboard_figures(filters)
    impact_figures = impact_module.impact_figures(filters)
    result = asdict(figures)
    result["impact"] = asdict(impact_figures)
    if module is not live:
        # What the dashboard page reads: only its top donors, off the ranking index.
        totals = all_time_totals(filters)
        figures = module.dashboard_figures(filters, every_donor=False, totals=totals)
        impact_figures = impact_module.impact_figures(filters, every_donor=False, totals=totals)
    page = asdict(figures)
    result["page"] = {name: value for name, value in page.items() if name != "donors"}
    result["page_donors"] = ([asdict(row) for row in figures.top_donors], figures.donor_count)
    result["page_impact"] = (
        asdict(impact_figures)["total"],
        [asdict(row) for row in (*impact_figures.by_municipality, *impact_figures.top_donors)],
    )
    return result


def dashboard_drift(filters_list=None):
    """[(filters, figure name, stored, live)] for every dashboard figure that differs."""
    drift = []
    for filters in filters_list or default_filters():
        stored, expected = figures_of(dashboard, filters), figures_of(live, filters)
        drift += [
            (filters, name, stored[name], expected[name])
            for name in expected
            if stored[name] != expected[name]
        ]
    stored, expected = asdict(dashboard.headline_figures()), asdict(live.headline_figures())
    if stored != expected:
        drift.append((None, "headline", stored, expected))
    return drift


def eligibility_drifting():
    """Clients whose stored eligible_since (clients.eligibility) is not the live rule's."""
    return eligibility_drift()


def figures_repair():
    """Recompute every client's eligibility, then rebuild the stored figures from live data."""
    with transaction.atomic():
        eligibility_refresh_all()
        figures_source.figures_rebuild()
