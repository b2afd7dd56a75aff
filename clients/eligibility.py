"""Keeping Client.eligible_since and Client.has_open_handover equal to their rules
(clients.selectors.live_eligible_since, live_has_open_handover).

The milestone, catalogue and handover services call these inside their own transaction,
after the change, so the stored facts and the rows they follow are committed together.
Each is one UPDATE that writes the rule's own SQL expression, so the stored value cannot
be computed differently from the live one.

Why queryset.update() here, where the conventions ask for history on every change:
both are derived data, left out of the client's history (HistoricalRecords
excluded_fields); the history of the milestones, the catalogue and the handovers that
move them is the audit trail. A catalogue change would otherwise add a history row for every client.
"""

from clients.models import Client
from clients.selectors import live_eligible_since, live_has_open_handover


def _live():
    return {"eligible_since": live_eligible_since(), "has_open_handover": live_has_open_handover()}


def eligibility_refresh(*, clients):
    """Recompute eligible_since and has_open_handover of these clients (instances or keys)."""
    keys = [getattr(client, "pk", client) for client in clients]
    return Client.objects.filter(pk__in=keys).update(**_live())


def eligibility_refresh_all():
    """Recompute both stored facts of every client, after a catalogue change; one UPDATE.

    The clients are locked first (key order, as every service locks a client first): on
    PostgreSQL the UPDATE then reads, in a snapshot taken after the locks, every milestone
    a coach recorded in a transaction that held a client's lock, and a coach recording one
    now waits for the new catalogue. SQLite writers queue anyway (IMMEDIATE transactions)."""
    list(Client.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    return Client.objects.update(**_live())
